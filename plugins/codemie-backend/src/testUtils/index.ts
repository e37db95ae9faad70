/**
 * The GCP sandbox harness of the codemie backend plugin's status tests, for the project's
 * benchmarks. Not a stable API; never imported by production code.
 *
 * @packageDocumentation
 */
export {
  createCluster,
  createNetwork,
  environmentEntity,
  renderWorkloads,
} from '../status/__testUtils__/sandboxEnvironment';
export type { SandboxKubernetes } from '../status/__testUtils__/sandboxEnvironment';
