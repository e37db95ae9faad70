/**
 * How simulated workloads behave: how long pulling, starting and becoming ready take, and the
 * faults a test (or the demo) can switch on — images that cannot be pulled, crash loops,
 * OOM kills — plus resource usage and volume usage overrides for metrics.
 *
 * Every setter returns an "undo" function, like FaultInjector's rules.
 */
import { KubernetesObject } from './types';

/**
 * Which pods a rule applies to. Every given field must match.
 * `component` matches label `app.kubernetes.io/component`, else `app.kubernetes.io/name`,
 * else `app` (charts label their pods differently).
 */
export interface PodTarget {
  namespace?: string;
  component?: string;
  /** Pod name prefix, e.g. `codemie-api-` or `elasticsearch-master-`. */
  podNamePrefix?: string;
  /** Substring of a container image, e.g. `elasticsearch`. */
  image?: string;
  /** Container name; the rule applies to that container only (default: every container). */
  container?: string;
}

/** Simulated seconds a pod's containers take to come up. */
export interface StartupDurations {
  /** Image pull (when the image is not on the node yet). */
  pullSeconds: number;
  /** From pulled to started: container creation, volume mounts. */
  startSeconds: number;
  /**
   * From started to Ready. The effective delay is the largest of this, the readiness probe's
   * and the startup probe's initialDelaySeconds.
   */
  readySeconds: number;
  /** How long each init container runs before it completes. */
  initRunSeconds: number;
}

/** A crash-looping or OOM-killed container. */
export interface CrashRule {
  /** How long each run lasts before the container exits. */
  runSeconds: number;
  /** Error (exit 1) or OOMKilled (exit 137). */
  reason: 'Error' | 'OOMKilled';
  exitCode: number;
  /**
   * The clock the kubelet's restart back-off runs on. `simulated` (default): like every other
   * pod transition. `wall-clock`: from the moment the pod is planned, back-off delays take their
   * documented length in real time whatever the sandbox's time scale, so a person watching a
   * crash loop (the local portal's demo) sees it restart at most every 5 minutes, as on GKE.
   */
  backoff?: 'simulated' | 'wall-clock';
}

/** Resource usage as a fraction of requests (1 = 100%); memory may be a fraction of the limit for OOM. */
export interface UsageOverride {
  /** Fraction of the container's CPU request. */
  cpu?: number;
  /** Fraction of the container's memory request. */
  memory?: number;
  /**
   * What the container uses whatever it requests, millicores (a demand: a bigger request leaves
   * more headroom). Wins over `cpu`.
   */
  cpuMillis?: number;
  /** The same for memory, MiB (never above the limit: the kernel would kill it). */
  memoryMiB?: number;
}

/** The default durations. */
export const DEFAULT_DURATIONS: StartupDurations = {
  pullSeconds: 20,
  startSeconds: 10,
  readySeconds: 0,
  initRunSeconds: 5,
};

interface Rule<T> {
  target: PodTarget;
  value: T;
}

/** Labels a pod (or pod template) carries that identify its component. */
export function componentOf(
  labels: Record<string, string> | undefined,
): string | undefined {
  return (
    labels?.['app.kubernetes.io/component'] ??
    labels?.['app.kubernetes.io/name'] ??
    labels?.app
  );
}

/** True if `target` selects `pod` (and, when the target names a container, that container). */
export function targets(
  target: PodTarget,
  pod: KubernetesObject,
  container?: any,
): boolean {
  const labels = pod.metadata?.labels ?? {};
  if (target.namespace && pod.metadata?.namespace !== target.namespace)
    return false;
  if (
    target.podNamePrefix &&
    !(pod.metadata?.name ?? '').startsWith(target.podNamePrefix)
  )
    return false;
  if (
    target.component &&
    ![
      labels['app.kubernetes.io/component'],
      labels['app.kubernetes.io/name'],
      labels.app,
    ].includes(target.component)
  ) {
    return false;
  }
  if (target.container && container && container.name !== target.container)
    return false;
  if (target.image) {
    const images: string[] = container
      ? [container.image]
      : (pod.spec?.containers ?? []).map((c: any) => c.image);
    if (!images.some(i => (i ?? '').includes(target.image!))) return false;
  }
  return true;
}

/**
 * Configurable workload behaviour of one sandbox cluster (`server.behaviour`).
 * Rules added later win over earlier ones.
 */
export class WorkloadBehaviour {
  private durationRules: Array<Rule<Partial<StartupDurations>>> = [
    // Elasticsearch pulls a ~700 MB image and needs a minute or two to form a cluster.
    {
      target: { image: 'elasticsearch' },
      value: { pullSeconds: 60, readySeconds: 90 },
    },
    {
      target: { image: 'keycloak' },
      value: { pullSeconds: 40, readySeconds: 60 },
    },
    {
      target: { image: 'kibana' },
      value: { pullSeconds: 45, readySeconds: 60 },
    },
  ];
  private missing: Array<string | RegExp> = [];
  private crashRules: Array<Rule<CrashRule>> = [];
  private usageRules: Array<Rule<UsageOverride>> = [];
  private volumeRules: Array<{
    namespace?: string;
    pvcName?: string;
    fraction: number;
  }> = [];
  private listeners: Array<(kind: 'crash') => void> = [];

  /** Called by the server to re-plan running pods when a crash rule is added. */
  onChange(listener: (kind: 'crash') => void): void {
    this.listeners.push(listener);
  }

  private add<T>(list: Array<Rule<T>>, rule: Rule<T>): () => void {
    list.push(rule);
    return () => {
      const i = list.indexOf(rule);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Sets startup durations for matching pods (`{}` targets every pod). */
  durations(
    target: PodTarget,
    durations: Partial<StartupDurations>,
  ): () => void {
    return this.add(this.durationRules, { target, value: durations });
  }

  /**
   * Images that cannot be pulled: a string matches any image containing it (a "marker"), a
   * RegExp is tested against the image. Pods using them go ErrImagePull, then ImagePullBackOff.
   */
  missingImage(image: string | RegExp): () => void {
    this.missing.push(image);
    return () => {
      this.missing = this.missing.filter(m => m !== image);
    };
  }

  /**
   * Matching containers exit with an error `runSeconds` after each start and restart as the
   * kubelet does (at once, then after 10 s, 20 s, 40 s… up to 5 min; see `restartDelayMs`):
   * CrashLoopBackOff, growing restartCount. Running matching pods start crashing now.
   * `backoff` chooses the clock of the back-off (see {@link CrashRule.backoff}).
   */
  crashLoop(
    target: PodTarget,
    options: {
      runSeconds?: number;
      exitCode?: number;
      backoff?: CrashRule['backoff'];
    } = {},
  ): () => void {
    const undo = this.add(this.crashRules, {
      target,
      value: {
        runSeconds: options.runSeconds ?? 5,
        reason: 'Error',
        exitCode: options.exitCode ?? 1,
        ...(options.backoff ? { backoff: options.backoff } : {}),
      },
    });
    this.listeners.forEach(l => l('crash'));
    return undo;
  }

  /**
   * Matching containers are OOM-killed `afterSeconds` after each start (lastState.terminated
   * reason OOMKilled, exit code 137) and restart with back-off. Their memory usage reads near
   * the limit.
   */
  oomKill(
    target: PodTarget,
    options: { afterSeconds?: number } = {},
  ): () => void {
    const undo = this.add(this.crashRules, {
      target,
      value: {
        runSeconds: options.afterSeconds ?? 45,
        reason: 'OOMKilled',
        exitCode: 137,
      },
    });
    this.listeners.forEach(l => l('crash'));
    return undo;
  }

  /** Fixes CPU and/or memory usage of matching pods at a fraction of their requests (e.g. 0.9). */
  usage(target: PodTarget, usage: UsageOverride): () => void {
    return this.add(this.usageRules, { target, value: usage });
  }

  /** Fixes the used fraction of matching PVCs in the node stats/summary endpoint. */
  volumeUsage(
    target: { namespace?: string; pvcName?: string },
    fraction: number,
  ): () => void {
    const rule = { ...target, fraction };
    this.volumeRules.push(rule);
    return () => {
      this.volumeRules = this.volumeRules.filter(r => r !== rule);
    };
  }

  /** Removes every fault and override (the built-in per-image durations stay). */
  clear(): void {
    this.missing = [];
    this.crashRules = [];
    this.usageRules = [];
    this.volumeRules = [];
    this.durationRules = this.durationRules.slice(0, 3);
  }

  /** Effective durations for a container of a pod. */
  durationsFor(pod: KubernetesObject, container: any): StartupDurations {
    let result = { ...DEFAULT_DURATIONS };
    for (const rule of this.durationRules) {
      if (targets(rule.target, pod, container))
        result = { ...result, ...rule.value };
    }
    return result;
  }

  /** True if the image cannot be pulled. */
  isMissing(image: string): boolean {
    return this.missing.some(m =>
      typeof m === 'string' ? image.includes(m) : m.test(image),
    );
  }

  /** The crash rule for a container, if any (latest wins). */
  crashFor(pod: KubernetesObject, container: any): CrashRule | undefined {
    for (let i = this.crashRules.length - 1; i >= 0; i--) {
      if (targets(this.crashRules[i].target, pod, container))
        return this.crashRules[i].value;
    }
    return undefined;
  }

  /** Usage override for a container, if any (latest wins). */
  usageFor(pod: KubernetesObject, container: any): UsageOverride | undefined {
    for (let i = this.usageRules.length - 1; i >= 0; i--) {
      if (targets(this.usageRules[i].target, pod, container))
        return this.usageRules[i].value;
    }
    return undefined;
  }

  /** Volume usage override for a PVC, if any. */
  volumeUsageFor(namespace: string, pvcName: string): number | undefined {
    for (let i = this.volumeRules.length - 1; i >= 0; i--) {
      const r = this.volumeRules[i];
      if (
        (!r.namespace || r.namespace === namespace) &&
        (!r.pvcName || r.pvcName === pvcName)
      )
        return r.fraction;
    }
    return undefined;
  }
}
