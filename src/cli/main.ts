/** The `kouan` command: serve, admin (parties, keys), codes import, migrate. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { verifyExportedCopy, type Jwks } from '../modules/ledger/index.js';
import { SIGNED_KINDS, type SignedKind } from '../modules/signatures/index.js';
import { ConfigError, loadConfig, type ConfigOverrides } from '../config.js';
import { createKouan, createServices, packageVersion } from '../main.js';
import { KouanError, fieldMessage } from '../shared/errors.js';
import { openStore, storeExists, storeLocation, StoreLocationError, type Store } from '../store/store.js';
import { CliError, listenProblem } from './startup.js';
import { CONSOLE_CALLER } from '../modules/users/index.js';
import { randomBytes } from 'node:crypto';
import type { Services } from '../http/app.js';

const program = new Command('kouan').description('Kouan, an open-source trade single window').version(packageVersion());

const port = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('a port number from 0 to 65535');
  return parsed;
};

interface StoreOptions {
  dataDir?: string;
  databaseUrl?: string;
}

const withStoreOptions = (command: Command): Command =>
  command
    .option('--data-dir <dir>', 'SQLite data directory (default ./data, or KOUAN_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL URL (or KOUAN_DATABASE_URL); overrides the SQLite store');

function overrides(options: StoreOptions & { port?: number; host?: string }): ConfigOverrides {
  return { dataDir: options.dataDir, databaseUrl: options.databaseUrl, port: options.port, host: options.host };
}

/**
 * Runs a command against the store with the modules wired, then closes it. The store is named on stderr (stdout
 * stays the command's JSON): a write says where it wrote, and when it made that store just now, since a CLI run
 * with another data directory than the server's would otherwise make a store of its own in silence, and print a
 * key the server rejects. A read of a store that is not there is refused rather than made.
 */
async function withServices<T>(options: StoreOptions, work: (services: Services) => Promise<T>, access: 'read' | 'write' = 'write'): Promise<T> {
  const config = loadConfig(overrides(options));
  const existed = await storeExists(config.store);
  if (!existed && access === 'read') {
    const where = config.store.databaseUrl === undefined ? `${config.store.dataDir} (KOUAN_DATA_DIR or --data-dir)` : 'that database (KOUAN_DATABASE_URL or --database-url)';
    throw new CliError(`no store at ${storeName(config.store.databaseUrl === undefined ? 'sqlite' : 'postgres', storeLocation(config.store))} yet: nothing to read, and nothing was created. Is ${where} the one the server uses?`);
  }
  const store = await openStore(config.store);
  if (access === 'write') console.error(existed ? `kouan: store: ${storeName(store.dialect, store.location)}` : `kouan: created a new, empty store: ${storeName(store.dialect, store.location)} (a server on another data directory or database will not see this)`);
  try {
    const services = createServices(config, store, { error: (object, message) => console.error(message, object) });
    await services.parties.seedAgencies();
    return await work(services);
  } finally {
    await store.close();
  }
}

const print = (value: unknown): void => console.log(JSON.stringify(value, null, 2));
const storeName = (dialect: Store['dialect'], location: string): string => `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${location}`;
/** A comma-separated option as its items, undefined when not given. */
const list = (value: string | undefined): string[] | undefined => value?.split(',').map((item) => item.trim()).filter((item) => item !== '');

withStoreOptions(program.command('serve').description('Run the API, the docs and the exchange'))
  .option('--port <port>', 'port to listen on (default 8080, or PORT)', port)
  .option('--host <host>', 'address to bind (default 127.0.0.1, or KOUAN_HOST)')
  .action(async (options: StoreOptions & { port?: number; host?: string }) => {
    const config = loadConfig(overrides(options));
    const kouan = await createKouan(config);
    let address: string;
    try {
      address = await kouan.app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await kouan.close();
      throw listenProblem(error, config.port, config.host) ?? error;
    }
    kouan.app.log.info(`Kouan ${packageVersion()} on ${address} (store: ${kouan.services.store.dialect} ${kouan.services.store.location}); API docs at ${address}/docs`);
    if (config.logLevel === 'silent') console.log(`Kouan listening on ${address}`);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      kouan.app.log.info(`${signal}: draining and closing`);
      kouan.close().then(
        () => (process.exitCode = 0),
        (error: unknown) => {
          console.error(error);
          process.exitCode = 1;
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

withStoreOptions(program.command('migrate').description('Apply pending migrations and exit')).action(async (options: StoreOptions) => {
  await withServices(options, () => Promise.resolve());
  print({ migrated: true });
});

const admin = program.command('admin').description('Operator commands on the same store as the server');
const party = admin.command('party').description('Enterprises, agencies and operators');
withStoreOptions(
  party
    .command('create')
    .description('Register a party; prints {id, kind, name}')
    .requiredOption('--kind <kind>', 'enterprise | agency | operator')
    .requiredOption('--id <id>', 'unified social credit code (enterprise), agency code, or operator id')
    .requiredOption('--name <name>', 'display name')
    .option('--roles <roles>', 'comma-separated roles (enterprise: declarant, broker, carrier, terminal, port)')
    .option('--locations <locodes>', 'comma-separated UN/LOCODEs where a terminal or port operates')
    .option('--tenant <tenant>', 'local e-port (default central)'),
).action(async (options: StoreOptions & { kind: string; id: string; name: string; roles?: string; locations?: string; tenant?: string }) => {
  const created = await withServices(options, (services) =>
    services.parties.createParty({ id: options.id, kind: options.kind, name: options.name, roles: list(options.roles), locations: list(options.locations), tenant: options.tenant }),
  );
  print({ id: created.id, kind: created.kind, name: created.name, roles: created.roles, ...(created.locations.length > 0 ? { locations: created.locations } : {}), tenant: created.tenant });
});
withStoreOptions(
  party
    .command('grant')
    .description('Give a party roles, e.g. carrier, or terminal with the places it operates; prints {id, roles, locations}')
    .requiredOption('--id <id>', 'the party')
    .requiredOption('--roles <roles>', 'comma-separated roles to add (enterprise: declarant, broker, carrier, terminal, port)')
    .option('--locations <locodes>', 'comma-separated UN/LOCODEs of a terminal or port (replace the ones it had)'),
).action(async (options: StoreOptions & { id: string; roles: string; locations?: string }) => {
  const party = await withServices(options, (services) => services.parties.grantRoles(options.id, { roles: list(options.roles) ?? [], locations: list(options.locations) }));
  print({ id: party.id, roles: party.roles, locations: party.locations });
});
withStoreOptions(
  party.command('revoke').description('Take roles away from a party; prints {id, roles, locations}').requiredOption('--id <id>', 'the party').requiredOption('--roles <roles>', 'comma-separated roles to take away'),
).action(async (options: StoreOptions & { id: string; roles: string }) => {
  const party = await withServices(options, (services) => services.parties.revokeRoles(options.id, list(options.roles) ?? []));
  print({ id: party.id, roles: party.roles, locations: party.locations });
});
withStoreOptions(party.command('list').description('List parties').option('--kind <kind>', 'enterprise | agency | operator')).action(async (options: StoreOptions & { kind?: 'enterprise' | 'agency' | 'operator' }) => {
  print(await withServices(options, (services) => services.parties.listParties(options.kind), 'read'));
});

const tenant = admin.command('tenant').description('Tenants: the local e-ports of this deployment');
withStoreOptions(tenant.command('create').description('Register a tenant; prints {id, name}').requiredOption('--id <id>', 'lower-case id, e.g. shenzhen').requiredOption('--name <name>', 'display name')).action(
  async (options: StoreOptions & { id: string; name: string }) => {
    const created = await withServices(options, (services) => services.parties.createTenant({ id: options.id, name: options.name }));
    print({ id: created.id, name: created.name });
  },
);
withStoreOptions(tenant.command('list').description('List tenants')).action(async (options: StoreOptions) => {
  print(await withServices(options, (services) => services.parties.listTenants(), 'read'));
});

const key = admin.command('key').description('API keys');
withStoreOptions(
  key
    .command('create')
    .description('Issue an API key for a party; prints {party, key, id} and its scopes and expiry when limited (the key is shown once)')
    .requiredOption('--party <id>', 'the party')
    .option('--label <label>', 'what the key is for')
    .option('--scopes <scopes>', 'comma-separated: submissions:write, submissions:read, inbox, ledger:issue, ledger:read, tracking:write, tracking:read, admin (default: all the party\'s rights)')
    .option('--expires-at <time>', 'ISO 8601 time after which the key stops working (default: never)'),
).action(async (options: StoreOptions & { party: string; label?: string; scopes?: string; expiresAt?: string }) => {
  const created = await withServices(options, (services) =>
    services.users.createKey(CONSOLE_CALLER, { partyId: options.party, label: options.label, scopes: list(options.scopes), expiresAt: options.expiresAt }),
  );
  const { scopes, expiresAt } = created.apiKey;
  print({ party: created.apiKey.party, key: created.key, id: created.apiKey.id, ...(scopes === null ? {} : { scopes }), ...(expiresAt === null ? {} : { expiresAt }) });
});
withStoreOptions(
  key
    .command('rotate')
    .description('Replace a key (same label, scopes, lifetime); the old one keeps working for the grace period. Prints the new {party, key, id}')
    .argument('<keyId>', 'the key id (key_...)')
    .option('--grace-hours <hours>', 'how long the old key keeps working (default 24)', (value: string) => {
      const hours = Number(value);
      if (!Number.isInteger(hours) || hours < 0 || hours > 720) throw new InvalidArgumentError('hours from 0 to 720');
      return hours;
    }),
).action(async (keyId: string, options: StoreOptions & { graceHours?: number }) => {
  const rotated = await withServices(options, (services) => services.users.rotateKey(CONSOLE_CALLER, keyId, { graceMs: options.graceHours === undefined ? undefined : options.graceHours * 3_600_000 }));
  print({ party: rotated.apiKey.party, key: rotated.key, id: rotated.apiKey.id, rotatedFrom: rotated.apiKey.rotatedFrom, scopes: rotated.apiKey.scopes, expiresAt: rotated.apiKey.expiresAt });
});
withStoreOptions(key.command('list').description("List a party's keys (never their secrets)").requiredOption('--party <id>', 'the party')).action(async (options: StoreOptions & { party: string }) => {
  print(await withServices(options, (services) => services.users.listKeys(CONSOLE_CALLER, options.party), 'read'));
});
withStoreOptions(key.command('revoke').description('Revoke a key at once').argument('<keyId>', 'the key id (key_...)')).action(async (keyId: string, options: StoreOptions) => {
  await withServices(options, (services) => services.parties.revokeKey(keyId));
  print({ revoked: keyId });
});

const user = admin.command('user').description('People of a party: portal accounts');
/** The password from standard input (--password-stdin), or a new random one that is printed once. */
function passwordFrom(options: { passwordStdin?: boolean }): { password: string; generated: boolean } {
  if (options.passwordStdin === true) return { password: readFileSync(0, 'utf8').replace(/\r?\n$/, ''), generated: false };
  return { password: randomBytes(18).toString('base64url'), generated: true };
}
withStoreOptions(
  user
    .command('create')
    .description('Add a person to a party; prints {id, party, email, roles} and, unless --password-stdin, the initial password (shown once)')
    .requiredOption('--party <id>', 'the party')
    .requiredOption('--email <email>', 'the login name')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--roles <roles>', 'comma-separated: admin and the party\'s roles (e.g. admin,declarant)')
    .option('--password-stdin', 'read the password from standard input instead of generating one'),
).action(async (options: StoreOptions & { party: string; email: string; name: string; roles: string; passwordStdin?: boolean }) => {
  const { password, generated } = passwordFrom(options);
  const created = await withServices(options, (services) =>
    services.users.createUser(CONSOLE_CALLER, { partyId: options.party, email: options.email, name: options.name, roles: list(options.roles) ?? [], password }),
  );
  print({ id: created.id, party: created.party, email: created.email, roles: created.roles, ...(generated ? { password } : {}) });
});
withStoreOptions(user.command('list').description("List a party's users").requiredOption('--party <id>', 'the party')).action(async (options: StoreOptions & { party: string }) => {
  print(await withServices(options, (services) => services.users.listUsers(CONSOLE_CALLER, options.party), 'read'));
});
withStoreOptions(user.command('disable').description('Disable a user for good; their sessions end').argument('<userId>', 'usr_...')).action(async (userId: string, options: StoreOptions) => {
  print(await withServices(options, (services) => services.users.disableUser(CONSOLE_CALLER, userId)));
});
withStoreOptions(user.command('unlock').description('Lift a lockout after failed logins').argument('<userId>', 'usr_...')).action(async (userId: string, options: StoreOptions) => {
  print(await withServices(options, (services) => services.users.unlockUser(CONSOLE_CALLER, userId)));
});
withStoreOptions(user.command('reset-totp').description('Turn off the second factor of a user who lost their device').argument('<userId>', 'usr_...')).action(async (userId: string, options: StoreOptions) => {
  print(await withServices(options, (services) => services.users.disableTotp(CONSOLE_CALLER, userId)));
});
withStoreOptions(
  user
    .command('set-password')
    .description("Reset a user's password (ends their sessions, lifts a lockout); prints the new one unless --password-stdin")
    .argument('<userId>', 'usr_...')
    .option('--password-stdin', 'read the password from standard input instead of generating one'),
).action(async (userId: string, options: StoreOptions & { passwordStdin?: boolean }) => {
  const { password, generated } = passwordFrom(options);
  const updated = await withServices(options, (services) => services.users.setPassword(CONSOLE_CALLER, userId, password));
  print({ id: updated.id, email: updated.email, ...(generated ? { password } : {}) });
});

const codes = program.command('codes').description('Code lists');
withStoreOptions(
  codes
    .command('import')
    .description(
      'Import a code list file, replacing the list: hs (HS nomenclature CSV), locode (UN/LOCODE CSV), tariff (national tariff CSV), customs-offices (GACC 关区代码 CSV) ' +
        'or any store-backed list of `kouan codes status` (CSV with code,en,zh and extra columns, or the GACC parameter table as published: trade-mode, levy-nature ...)',
    )
    .argument('<list>', 'the list id (`kouan codes status`)')
    .argument('<file>', 'the CSV file'),
).action(async (list: string, file: string, options: StoreOptions) => {
  const started = Date.now();
  const result = await withServices(options, (services) => {
    if (services.codes.registry.get(list) === undefined) throw new CliError(`no code list "${list}"; the lists imported from files are ${services.codes.importable().join(', ')}`);
    return services.codes.importList(list, file);
  });
  for (const rejection of result.rejected) console.error(`kouan: skipped line ${rejection.lineNumber}: ${rejection.reason}`);
  print({ list, entries: result.entries, skipped: result.rejected.length, file, seconds: (Date.now() - started) / 1000 });
});
withStoreOptions(codes.command('status').description('Which code lists are loaded')).action(async (options: StoreOptions) => {
  print(await withServices(options, (services) => services.codes.status(), 'read'));
});

const ledger = program.command('ledger').description('The electronic ledger');
withStoreOptions(ledger.command('verify').description('Replay every entry and check every balance, reservation and signature; exit 1 on any problem')).action(async (options: StoreOptions) => {
  const audit = await withServices(options, (services) => services.ledger.audit(), 'read');
  print(audit);
  if (audit.problems.length > 0) process.exitCode = 1;
});
withStoreOptions(ledger.command('keys').description("Print the public keys (JWK set: the issuers' and Kouan's, each with its purposes) for offline verification")).action(async (options: StoreOptions) => {
  print(await withServices(options, (services) => services.signatures.jwks(), 'read'));
});
ledger
  .command('verify-copy')
  .description('Check a signed copy offline: FILE holds the compact JWS (Ed25519 or SM2), or an account as exported (JSON with "signature" and, if made, "signatureSm2": both are checked)')
  .argument('<file>', 'the copy')
  .requiredOption('--keys <file>', 'the JWK set (from `kouan ledger keys` or GET /api/v1/ledger/keys)')
  .option('--kind <kind>', 'what the copy must be: ledger-account (the default), receipt, decision or amendment', (value: string) => {
    const kind = SIGNED_KINDS.find((candidate) => candidate === `kouan-${value}+jws`);
    if (kind === undefined) throw new InvalidArgumentError('ledger-account, receipt, decision or amendment');
    return kind;
  })
  .action(async (file: string, options: { keys: string; kind?: SignedKind }) => {
    // A receipt or a decision is never taken for an account: the verifier is told which kind it checks.
    const check = await verifyExportedCopy(readFileSync(file, 'utf8'), JSON.parse(readFileSync(options.keys, 'utf8')) as Jwks, options.kind ?? 'kouan-ledger-account+jws');
    print(check.valid ? { valid: true, kid: check.kid, alg: check.alg, issuer: check.issuer, account: check.payload, signatures: check.signatures } : { valid: false, code: 'LEDGER_SIGNATURE_INVALID', reason: check.reason });
    if (!check.valid) process.exitCode = 1;
  });

const signatures = program.command('signatures').description("Declarants' signatures and Kouan's receipts, as stored");
withStoreOptions(
  signatures
    .command('verify')
    .description("Check stored submissions' signatures again from the store (the declarant's over the bytes it signed, and Kouan's receipt); exit 1 naming every failure")
    .option('--submission <id>', 'one submission')
    .option('--all', 'every submission with a signature or a receipt'),
).action(async (options: StoreOptions & { submission?: string; all?: boolean }) => {
  if ((options.submission === undefined) === (options.all !== true)) throw new InvalidArgumentError('give --submission ID or --all');
  const verdict = await withServices(options, (services) => services.submissions.verifySignatures({ submissionId: options.submission }), 'read');
  print(verdict);
  if (options.submission !== undefined && verdict.checked === 0) {
    console.error(`kouan: ${options.submission}: no such submission, or nothing signed to check`);
    process.exitCode = 1;
  }
  for (const failure of verdict.failures) console.error(`kouan: ${failure.submissionId}: ${failure.problems.join('; ')}`);
  if (verdict.failures.length > 0) process.exitCode = 1;
});

const tracking = program.command('tracking').description('The clearance and logistics status database');
withStoreOptions(tracking.command('verify').description('Recompute every current state from the event log and compare; exit 1 on any difference')).action(async (options: StoreOptions) => {
  const result = await withServices(options, (services) => services.tracking.verify(), 'read');
  print(result);
  if (result.differences.length > 0) process.exitCode = 1;
});
withStoreOptions(tracking.command('rebuild').description('Recompute every current state from the event log (in one transaction)')).action(async (options: StoreOptions) => {
  print(await withServices(options, (services) => services.tracking.rebuild()));
});

const audit = program.command('audit').description('The hash-chained audit log');
withStoreOptions(
  audit
    .command('verify')
    .description('Recompute the hash chain; exit 1 if any record was modified, inserted or deleted')
    .option('--checkpoint <seq:hash>', 'a head printed by an earlier verify and kept outside the database'),
).action(async (options: StoreOptions & { checkpoint?: string }) => {
  const match = options.checkpoint === undefined ? undefined : /^(\d+):([0-9a-f]{64})$/.exec(options.checkpoint);
  if (match === null) throw new InvalidArgumentError('--checkpoint must be <seq>:<64 hex digits>');
  const checkpoint = match === undefined ? undefined : { seq: Number(match[1]), hash: match[2] ?? '' };
  const verdict = await withServices(options, (services) => services.audit.verify({ checkpoint }), 'read');
  print(verdict);
  if (verdict.problems.length > 0) process.exitCode = 1;
});

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof KouanError) {
    console.error(`kouan: ${error.code}: ${error.message}`);
    for (const fieldError of error.errors) console.error(`  ${fieldError.path}: ${fieldError.code}: ${fieldMessage(fieldError, 'en')}`);
  } else if (error instanceof ConfigError || error instanceof InvalidArgumentError || error instanceof CliError) {
    console.error(`kouan: ${error.message}`);
  } else if (error instanceof StoreLocationError) {
    console.error(`kouan: ${error.message}; set KOUAN_DATA_DIR or --data-dir to a directory Kouan may write`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
