/**
 * The latency figure's load: bench/paced-sender.ts run in a worker thread of its own (its heap, its collections,
 * its event loop), told what to send, telling each answer back with its moment as epoch milliseconds.
 */
import { Worker } from 'node:worker_threads';
import type { PacedMessage, PacedOptions, PacedResult } from './paced-sender.js';

export type { PacedOptions, PacedResult } from './paced-sender.js';

/**
 * Offers the load from a worker thread; `onAnswer` is told of each answer with the submission's id when it was
 * a 201 and its moment in this thread's performance.now() milliseconds.
 */
export function pacedLoad(options: PacedOptions, onAnswer: (status: number, id: string | undefined, at: number) => void = () => undefined): Promise<PacedResult> {
  // The worker loads TypeScript through tsx's API, registered in the worker itself (execArgv does not carry it).
  const sender = new URL('./paced-sender.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(sender)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: options });
  return new Promise((resolve, reject) => {
    worker.on('message', (message: PacedMessage) => {
      if (message.kind === 'answer') onAnswer(message.status, message.id, message.at - performance.timeOrigin);
      else {
        resolve(message.result);
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`paced sender exited with ${String(code)}`));
    });
  });
}
