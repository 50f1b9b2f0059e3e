/**
 * One clear line for what stops `kouan serve` at start (a busy or privileged port, a host that is not this
 * machine's) instead of a stack trace, with what to do about it.
 */

/** A failure the CLI reports as its one line (`kouan: <message>`) and an exit code of 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** The line for an error of listen(), or undefined when it is none of the known ones. */
export function listenProblem(error: unknown, port: number, host: string): CliError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const other = port >= 65535 || port === 0 ? 8081 : port + 1;
  const choose = (suggested: number) => `choose another port: PORT=${suggested} npm start, or kouan serve --port ${suggested}`;
  const chooseHost = 'set KOUAN_HOST or kouan serve --host to an address of this machine (127.0.0.1 for this machine only, 0.0.0.0 for every interface)';
  switch (code) {
    case 'EADDRINUSE':
      return new CliError(`port ${port} on ${host} is already in use (another Kouan, or another program, listens there); ${choose(other)}`);
    case 'EACCES':
    case 'EPERM':
      return new CliError(`no permission to listen on port ${port} of ${host}${port < 1024 ? ' (ports below 1024 need privileges; put a proxy in front for 80 or 443)' : ''}; ${choose(port < 1024 ? 8080 : other)}`);
    case 'EADDRNOTAVAIL':
      return new CliError(`${host} is not an address of this machine; ${chooseHost}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new CliError(`the host name ${host} does not resolve; ${chooseHost}`);
    default:
      return undefined;
  }
}
