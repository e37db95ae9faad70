import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import type {
  PlanPreview,
  PlanPreviewRequest,
  PriceTable,
} from '@codemie-gcp/plugin-codemie-common';
import { Worker } from 'node:worker_threads';

/** Options of {@link PlanPreviewPool}. @internal */
export interface PlanPreviewPoolOptions {
  prices: PriceTable;
  /** Previews waiting beyond the one being planned; more are refused with 503. Default 16. */
  maxQueue?: number;
  /** A preview taking longer is abandoned (the worker restarted) with 503. Default 15 s. */
  timeoutMs?: number;
}

interface Job {
  id: number;
  request: PlanPreviewRequest;
  resolve(preview: PlanPreview): void;
  reject(error: Error): void;
}

const WORKER = resolvePackagePath(
  '@codemie-gcp/plugin-codemie-backend',
  'workers/planPreviewWorker.js',
);

/**
 * Runs sizing previews in a worker thread, one at a time, so that however large the environment
 * (planning verifies every candidate pool under a kube-scheduler model, up to a second of CPU)
 * the backend keeps answering every other request. A bounded queue and a per-preview time limit
 * keep a burst of previews from piling up.
 *
 * @internal
 */
export class PlanPreviewPool {
  private worker?: Worker;
  private readonly queue: Job[] = [];
  private running?: { job: Job; timer: NodeJS.Timeout };
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PlanPreviewPoolOptions) {}

  /** The preview of `request` (validated by the caller), planned in the worker. */
  preview(request: PlanPreviewRequest): Promise<PlanPreview> {
    if (this.closed) {
      return Promise.reject(
        new ServiceUnavailableError('The backend is shutting down'),
      );
    }
    if (this.queue.length >= (this.options.maxQueue ?? 16)) {
      return Promise.reject(
        new ServiceUnavailableError(
          'Too many sizing previews are waiting; try again in a few seconds',
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker; waiting previews are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      job.reject(new ServiceUnavailableError('The backend is shutting down'));
    }
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private pump() {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    const timer = setTimeout(() => {
      // Abandon the preview and the worker with it: the next preview gets a fresh one.
      this.finish(
        job,
        new ServiceUnavailableError(
          'The sizing preview took too long; try again, or with fewer users',
        ),
      );
      const stuck = this.worker;
      this.worker = undefined;
      stuck?.terminate().catch(() => {});
    }, this.options.timeoutMs ?? 15_000);
    this.running = { job, timer };
    this.workerFor().postMessage({ id: job.id, request: job.request });
  }

  private finish(job: Job, outcome: PlanPreview | Error) {
    if (this.running?.job !== job) return;
    clearTimeout(this.running.timer);
    this.running = undefined;
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
    this.pump();
  }

  private workerFor(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER, {
      workerData: { prices: this.options.prices },
    });
    worker.unref();
    worker.on(
      'message',
      (message: {
        id: number;
        result?: PlanPreview;
        error?: { name: string; message: string };
      }) => {
        const job = this.running?.job;
        if (!job || job.id !== message.id) return;
        if (message.error) {
          this.finish(
            job,
            message.error.name === 'InputError'
              ? new InputError(message.error.message)
              : new Error(message.error.message),
          );
        } else {
          this.finish(job, message.result!);
        }
      },
    );
    worker.on('error', error => {
      if (this.worker === worker) this.worker = undefined;
      if (this.running) this.finish(this.running.job, error);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}
