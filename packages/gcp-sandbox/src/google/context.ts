import type { FaultInjector, Journal, SandboxClock } from '../core';
import type { Durations } from '../durations';
import type { ClusterApiServerFactory } from '../kubernetesBridge';
import type { SandboxState } from '../state';
import type { DomainFaults } from './domainFaults';
import type { IdGenerator, OperationScheduler } from './operations';

/** Everything an emulated API works with. */
export interface EmulationContext {
  state: SandboxState;
  clock: SandboxClock;
  journal: Journal;
  faults: FaultInjector;
  domainFaults: DomainFaults;
  scheduler: OperationScheduler;
  ids: IdGenerator;
  durations: Durations;
  /** Starts a cluster's Kubernetes API server; undefined runs clusters without one (no `endpoint`). */
  clusterServers?: ClusterApiServerFactory;
  /** Called with each request's project: records ids, refuses disabled APIs if configured. */
  gate?: (service: string, host: string, project: string | undefined) => void;
  /** Bearer tokens the APIs accept; undefined accepts any. */
  acceptedTokens?: ReadonlySet<string>;
}

/** A stable 12-digit project number for a project id (Google puts numbers in some links). */
export function projectNumber(project: string): string {
  let h = 2166136261;
  for (const c of project) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return String(100000000000 + (h % 899999999999));
}

/** Zones of a region as the sandbox models them (a, b, c); a zone is its own list. */
export function zonesOf(location: string): string[] {
  if (/-[a-z]$/.test(location)) return [location];
  return ['a', 'b', 'c'].map(z => `${location}-${z}`);
}

/** The region of a zone (or the region itself). */
export function regionOf(location: string): string {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location)
    ? location.replace(/-[a-z]$/, '')
    : location;
}

/** True for names Google accepts as a region or zone (`us-central1`, `europe-west3-b`). */
export function isLocation(location: string): boolean {
  return /^[a-z]+-[a-z]+\d+(-[a-z])?$/.test(location);
}

/** Resolves with a deferred promise's resolve function. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>(r => {
    resolve = r;
  });
  return { promise, resolve };
}
