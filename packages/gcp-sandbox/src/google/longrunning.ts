import type { EmulationContext } from './context';
import { deferred } from './context';
import { RPC_CODE } from './errors';
import type { Json, OperationRecord } from '../state';
import { OperationFailure } from './operationFailure';

/**
 * Starts a `google.longrunning.Operation` (Service Usage, Service Networking): `{ name, done:
 * false, metadata }`, then after `seconds` `{ done: true, response }` or `{ done: true, error }`.
 * `work` returns the response (with its `@type`) or throws an {@link OperationFailure} (google.rpc code).
 */
export function startLongRunning(
  ctx: EmulationContext,
  store: Map<string, OperationRecord>,
  options: {
    project: string;
    name: string;
    service: 'serviceusage' | 'servicenetworking';
    operationType: string;
    target: string;
    seconds: number;
    metadata?: Json;
    work: () => Json;
  },
): Json {
  const resource: Json = {
    name: options.name,
    ...(options.metadata ? { metadata: options.metadata } : {}),
  };
  const { promise, resolve } = deferred();
  store.set(options.name, {
    project: options.project,
    scope: '',
    resource,
    done: promise,
  });
  const fault = ctx.domainFaults.takeOperationFault(
    options.service,
    options.operationType,
    options.target,
  );
  ctx.scheduler
    .after(options.seconds, () => {
      try {
        if (fault) {
          const code =
            typeof fault.code === 'string'
              ? (RPC_CODE[fault.code] ?? 13)
              : (fault.code ?? 13);
          throw new OperationFailure(fault.message ?? 'Internal error.', code);
        }
        resource.response = options.work();
      } catch (e) {
        const failure =
          e instanceof OperationFailure
            ? e
            : new OperationFailure(String(e), RPC_CODE.INTERNAL);
        resource.error = {
          code:
            typeof failure.code === 'number' ? failure.code : RPC_CODE.INTERNAL,
          message: failure.message,
        };
      } finally {
        resource.done = true;
        resolve();
      }
    })
    .catch(() => undefined);
  return resource;
}
