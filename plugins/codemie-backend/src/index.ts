/**
 * CodeMie on Google Cloud: the codemie backend plugin — the status, usage history and plan
 * preview API under `/api/codemie`, and the sampler that records every environment's usage.
 *
 * @packageDocumentation
 */
export { codemiePlugin as default } from './plugin';
// The plugin's database store, for modules of the codemie plugin itself (the local sandbox's
// seeds) and for tests; modules of other plugins use codemieEnvironmentStoreServiceRef.
export { CodemieStore } from './database/CodemieStore';
export { EnvironmentLocks } from './database/EnvironmentLocks';
export {
  UsageHistoryStore,
  samplesFromStatus,
} from './database/UsageHistoryStore';
export type { SampleOrigin, UsageSample } from './database/UsageHistoryStore';
