import { AsyncResource } from 'node:async_hooks';

/**
 * Runs one job at a time; a request while it runs makes it run once more afterwards. A job that fails is
 * reported to `onError` and the worker stays usable: the next `run` (a poll, a notify) tries again.
 */
export class Worker {
  private running: Promise<void> | undefined;
  private again = false;
  // Jobs run in the async context the worker was made in, not the caller's: a job that a request wakes is not
  // part of that request (its transactions must not carry the request's audit record).
  private readonly home = new AsyncResource('kouan.worker');

  run(job: () => Promise<unknown>, onError: (error: unknown) => void): void {
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.home.runInAsyncScope(async () => {
      try {
        do {
          this.again = false;
          await job();
        } while (this.again);
      } catch (error) {
        onError(error);
      } finally {
        this.running = undefined;
      }
    });
  }

  async idle(): Promise<void> {
    await this.running;
  }
}
