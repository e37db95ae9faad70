/**
 * Service load balancers and Ingress addresses. A `LoadBalancer` Service gets an address 30
 * simulated seconds after creation (external from a 34.x range, or internal from the subnet with
 * `networking.gke.io/load-balancer-type: Internal`). An Ingress gets the address of the
 * ingress-nginx controller's LoadBalancer Service once that has one — which is what the
 * wildcard DNS record of a CodeMie installation points at.
 */
import { fnv32a } from '../json';
import { KubernetesObject } from '../types';
import { ControllerContext, T, ms } from './context';

const LB_PROVISION_MS = 30_000;

function lbAddress(svc: KubernetesObject): string {
  const h = fnv32a(`${svc.metadata?.namespace}/${svc.metadata?.name}`);
  const internal =
    svc.metadata?.annotations?.['networking.gke.io/load-balancer-type'] ===
      'Internal' ||
    svc.metadata?.annotations?.['cloud.google.com/load-balancer-type'] ===
      'Internal';
  return internal
    ? `10.128.${64 + (h % 32)}.${((h >>> 8) % 250) + 2}`
    : `34.${(h % 100) + 100}.${(h >>> 8) % 256}.${((h >>> 16) % 250) + 2}`;
}

/** Reconciles LoadBalancer Services and Ingress status. */
export function reconcileServices(ctx: ControllerContext): void {
  const services = ctx.store.list(T.services);
  for (const svc of services) {
    if (svc.spec?.type !== 'LoadBalancer') {
      if (svc.status?.loadBalancer?.ingress)
        ctx.store.put(
          T.services,
          { ...svc, status: { loadBalancer: {} } },
          ctx.stampIso,
        );
      continue;
    }
    if (svc.status?.loadBalancer?.ingress?.length) continue;
    const key = `lb/${svc.metadata!.uid}`;
    if (!ctx.firstSeen.has(key)) {
      ctx.firstSeen.set(key, ctx.stamp);
      ctx.events.record(
        svc,
        'EnsuringLoadBalancer',
        'Ensuring load balancer',
        'Normal',
        'service-controller',
        ctx.stamp,
      );
    }
    const since = Math.min(
      ctx.firstSeen.get(key)!,
      ms(svc.metadata?.creationTimestamp) || Infinity,
    );
    if (ctx.now >= since + LB_PROVISION_MS) {
      const ip = svc.spec?.loadBalancerIP || lbAddress(svc);
      ctx.store.put(
        T.services,
        {
          ...svc,
          status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } },
        },
        ctx.stampIso,
      );
      ctx.events.record(
        svc,
        'EnsuredLoadBalancer',
        'Ensured load balancer',
        'Normal',
        'service-controller',
        since + LB_PROVISION_MS,
      );
    }
  }
  const controller = ctx.store
    .list(T.services)
    .find(
      s =>
        s.spec?.type === 'LoadBalancer' &&
        s.status?.loadBalancer?.ingress?.length &&
        (s.metadata?.namespace === 'ingress-nginx' ||
          s.metadata?.labels?.['app.kubernetes.io/name'] === 'ingress-nginx'),
    );
  for (const ing of ctx.store.list(T.ingresses)) {
    const cls =
      ing.spec?.ingressClassName ??
      ing.metadata?.annotations?.['kubernetes.io/ingress.class'] ??
      'nginx';
    if (cls !== 'nginx') continue;
    const ip = controller?.status?.loadBalancer?.ingress?.[0]?.ip;
    const status = ip
      ? { loadBalancer: { ingress: [{ ip }] } }
      : { loadBalancer: {} };
    ctx.store.put(T.ingresses, { ...ing, status }, ctx.stampIso);
  }
}
