/**
 * CodeMie on Google Cloud: the codemie backend plugin — the status, usage history and plan
 * preview API under `/api/codemie`, and the sampler that records every environment's usage.
 *
 * @packageDocumentation
 */
export { codemiePlugin as default } from './plugin';
