import type { FaultInjector, Journal, SandboxClock } from '../core';
import type { Durations } from '../durations';
import type { ClusterApiServerFactory } from '../kubernetesBridge';
import type { SandboxState } from '../state';
import type { DomainFaults } from './domainFaults';
import type { IdGenerator, OperationScheduler } from './operations';
import zoneTable from './data/regionsAndZones.json';

const REGIONS: Record<string, string[]> = zoneTable.regions;

/**
 * Everything an emulated API works with.
 *
 * @public
 */
export interface EmulationContext {
  /** The store behind every API. */
  state: SandboxState;
  /** The simulated clock. */
  clock: SandboxClock;
  /** Every call answered. */
  journal: Journal;
  /** Transport faults (HTTP errors and latency). */
  faults: FaultInjector;
  /** Domain faults (failed operations, exceeded quotas). */
  domainFaults: DomainFaults;
  /** Runs the long operations' work after their durations. */
  scheduler: OperationScheduler;
  /** Generates resource ids. */
  ids: IdGenerator;
  /** Simulated seconds of the long operations. */
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

/**
 * Zones of a region (all of them, in Google's order), or the zone itself for a zone. The names
 * come from the sandbox's own copy of Google's "Regions and zones" table (data/regionsAndZones.json,
 * with its source and date), never from product code: europe-west1 is b/c/d, not a/b/c.
 */
export function zonesOf(location: string): string[] {
  if (isZone(location)) return [location];
  return (REGIONS[location] ?? []).map(z => `${location}-${z}`);
}

/** The region of a zone (or the region itself). */
export function regionOf(location: string): string {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location)
    ? location.replace(/-[a-z]$/, '')
    : location;
}

/** True for a region in the sandbox's zone table. */
export function isRegion(location: string): boolean {
  return Object.prototype.hasOwnProperty.call(REGIONS, location);
}

/** True for a zone that exists in the sandbox's zone table (`europe-west1-a` does not). */
export function isZone(location: string): boolean {
  const region = regionOf(location);
  return (
    region !== location &&
    isRegion(region) &&
    REGIONS[region].includes(location.slice(region.length + 1))
  );
}

/** True for an existing region or zone (`us-central1`, `europe-west3-b`). */
export function isLocation(location: string): boolean {
  return isRegion(location) || isZone(location);
}

/** Resolves with a deferred promise's resolve function. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>(r => {
    resolve = r;
  });
  return { promise, resolve };
}
