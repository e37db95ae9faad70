/**
 * The shapes of the problem detectors: small pure functions from what the status found to the
 * problems it shows, each with its evidence and its fix.
 */
import type {
  ComponentStatus,
  DetectedProblem,
  EnvironmentStatus,
} from '@codemie-gcp/plugin-codemie-common';
import type { V1Service } from '@kubernetes/client-node';
import type { DatabaseRead, DnsRead, EnvironmentDescriptor } from '../types';

/** What every detector reads: the status built so far and what was read beside the cluster. @internal */
export interface ProblemDetectorInput {
  environment: EnvironmentDescriptor;
  /** The components, in catalog order, with their pod rows. */
  components: ComponentStatus[];
  cluster: EnvironmentStatus['cluster'];
  database?: DatabaseRead;
  /** The environment's Services (the ingress load balancer's address is on one). */
  services?: V1Service[];
  dns?: DnsRead;
}

/** A detector of problems of the whole environment. @internal */
export type ProblemDetector = (
  input: ProblemDetectorInput,
) => DetectedProblem[];

/** What a component detector reads: one component and the cluster it runs on. @internal */
export interface ComponentProblemInput {
  component: ComponentStatus;
  cluster: EnvironmentStatus['cluster'];
}

/** A detector of one component's problems (run for each component in turn). @internal */
export type ComponentProblemDetector = (
  input: ComponentProblemInput,
) => DetectedProblem[];
