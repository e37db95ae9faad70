/**
 * `?watch=true` on a collection: a chunked stream of `{type, object}` lines, as informers and
 * `kubectl get -w` expect. The stream polls the control plane (which reconciles to the current
 * simulated time) once per simulated second and reports what changed.
 */
import { ServerResponse } from 'node:http';
import { ControlPlane } from './ControlPlane';
import { ResourceType } from './discovery';
import {
  matchesFields,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { KubernetesObject } from './types';

/** Starts a watch on `res`; returns a function that ends it. */
export function startWatch(
  cp: ControlPlane,
  type: ResourceType,
  namespace: string | undefined,
  url: URL,
  res: ServerResponse,
  pollMillis: number,
): () => void {
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'));
  const since = Number(url.searchParams.get('resourceVersion') ?? '0') || 0;
  const timeoutSeconds = Number(
    url.searchParams.get('timeoutSeconds') ?? '1800',
  );
  const select = () =>
    cp.store
      .list(type, namespace)
      .filter(
        o =>
          matchesRequirements(o.metadata?.labels, labels) &&
          matchesFields(o, fields),
      );
  const known = new Map<string, KubernetesObject>();
  res.writeHead(200, {
    'content-type': 'application/json',
    'transfer-encoding': 'chunked',
  });
  // Clients resolve the watch once headers arrive; an empty collection writes nothing yet.
  res.flushHeaders();
  const send = (kind: string, object: KubernetesObject) =>
    res.write(`${JSON.stringify({ type: kind, object })}\n`);
  for (const o of select()) {
    known.set(o.metadata!.uid!, o);
    if (Number(o.metadata?.resourceVersion) > since) send('ADDED', o);
  }
  let ended = false;
  const poll = () => {
    if (ended) return;
    cp.reconcile();
    const seen = new Set<string>();
    for (const o of select()) {
      const uid = o.metadata!.uid!;
      seen.add(uid);
      const before = known.get(uid);
      if (!before) send('ADDED', o);
      else if (before.metadata?.resourceVersion !== o.metadata?.resourceVersion)
        send('MODIFIED', o);
      known.set(uid, o);
    }
    for (const [uid, o] of [...known.entries()]) {
      if (!seen.has(uid)) {
        send('DELETED', o);
        known.delete(uid);
      }
    }
  };
  const timers: { poll?: NodeJS.Timeout; timeout?: NodeJS.Timeout } = {};
  const stop = () => {
    if (ended) return;
    ended = true;
    clearInterval(timers.poll);
    clearTimeout(timers.timeout);
    res.end();
  };
  timers.poll = setInterval(poll, pollMillis);
  timers.poll.unref?.();
  timers.timeout = setTimeout(stop, timeoutSeconds * 1000);
  timers.timeout.unref?.();
  res.on('close', stop);
  return stop;
}
