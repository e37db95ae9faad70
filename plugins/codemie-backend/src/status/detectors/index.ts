/**
 * Step 5 of the status: the problem detectors, one per file, each a pure function from what
 * the status found to problems with their evidence and fix — the shape of Backstage's
 * Kubernetes error detection (`@backstage/plugin-kubernetes-common`, `detectErrors`).
 */
import type { DetectedProblem } from '@codemie-gcp/plugin-codemie-common';
import type {
  ComponentProblemDetector,
  ProblemDetector,
  ProblemDetectorInput,
} from './types';
import { unschedulablePods } from './unschedulablePods';
import { crashLoopingPods } from './crashLoopingPods';
import { imagePullFailures } from './imagePullFailures';
import { notReadyPods } from './notReadyPods';
import { fullVolumes } from './fullVolumes';
import { unreadableDatabase } from './unreadableDatabase';
import { databaseNotRunnable } from './databaseNotRunnable';
import { dnsRecords } from './detectDnsProblems';

export type {
  ComponentProblemDetector,
  ComponentProblemInput,
  ProblemDetector,
  ProblemDetectorInput,
} from './types';

/** Run for each component in catalog order, in this order. @internal */
export const COMPONENT_DETECTORS: ComponentProblemDetector[] = [
  unschedulablePods,
  crashLoopingPods,
  imagePullFailures,
  notReadyPods,
  fullVolumes,
];

/** Whole-environment detectors whose problems are ranked with the components'. @internal */
export const ENVIRONMENT_DETECTORS: ProblemDetector[] = [
  unreadableDatabase,
  databaseNotRunnable,
];

/**
 * Detectors whose problems follow the ranked ones, unranked: the DNS check has always been
 * listed last, whatever its severity.
 *
 * @internal
 */
export const TRAILING_DETECTORS: ProblemDetector[] = [dnsRecords];

/** Every component's problems, component by component. */
const componentProblems: ProblemDetector = input =>
  input.components.flatMap(component =>
    COMPONENT_DETECTORS.flatMap(detect =>
      detect({ component, cluster: input.cluster }),
    ),
  );

/** Errors first; otherwise in the order found (a stable sort). */
function errorsFirst(problems: DetectedProblem[]): DetectedProblem[] {
  const rank = (p: DetectedProblem) => (p.severity === 'error' ? 0 : 1);
  return [...problems].sort((a, b) => rank(a) - rank(b));
}

/**
 * Runs every detector: the components' and the environment's problems errors first, then the
 * trailing ones.
 *
 * @internal
 */
export function detectProblems(input: ProblemDetectorInput): DetectedProblem[] {
  const ranked = [componentProblems, ...ENVIRONMENT_DETECTORS].flatMap(detect =>
    detect(input),
  );
  return [
    ...errorsFirst(ranked),
    ...TRAILING_DETECTORS.flatMap(detect => detect(input)),
  ];
}
