/** Runs one job at a time; a request while it runs makes it run once more afterwards. */
export class Worker {
  private running: Promise<void> | undefined;
  private again = false;

  run(job: () => Promise<unknown>, onError: (error: unknown) => void): void {
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = (async () => {
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
    })();
  }

  async idle(): Promise<void> {
    await this.running;
  }
}
