/** What modules need of the process logger (pino fits it): to say that background work failed and will retry. */
export interface Logger {
  error(object: object, message: string): void;
}
