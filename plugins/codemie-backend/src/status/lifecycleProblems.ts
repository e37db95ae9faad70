/**
 * What the entity page says about an environment that is not (yet, or any more) simply running:
 * being created, failed, being destroyed — with what to do. Pure.
 */
import type {
  DetectedProblem,
  HealthLevel,
} from '@codemie-gcp/plugin-codemie-common';
import type { EnvironmentLifecycleFacts } from './types';

const CREATING = new Set([
  'planned',
  'provisioning',
  'provisioned',
  'deploying',
]);

/** The problems the lifecycle adds to the status, most important first. @internal */
export function lifecycleProblems(
  lifecycle: EnvironmentLifecycleFacts,
  environmentName: string,
): DetectedProblem[] {
  const task = lifecycle.taskId ? ` (task ${lifecycle.taskId})` : '';
  if (lifecycle.state === 'failed') {
    return [
      {
        severity: 'error',
        title: 'The last step failed',
        detail: lifecycle.lastError ?? 'The task stopped without a reason.',
        fix: `Fix the cause, then resume: Retry the task${task}, or run "Create CodeMie environment" again for ${environmentName} with the same inputs and "Resume my failed create" ticked. To give up, run "Destroy CodeMie environment": it removes whatever was created.`,
      },
    ];
  }
  if (lifecycle.state === 'destroying') {
    if (lifecycle.retryAfter) {
      return [
        {
          severity: 'warning',
          title: 'Waiting on Google to release the peering',
          detail:
            lifecycle.lastError?.replace(/^destroy: /, '') ??
            'Google has not yet released the private services peering.',
          fix: `Run "Destroy CodeMie environment" again after ${lifecycle.retryAfter}: it removes what is left. Everything else is already gone.`,
        },
      ];
    }
    return [
      lifecycle.lastError
        ? {
            severity: 'error',
            title: 'Destroy stopped before the end',
            detail: lifecycle.lastError,
            fix: 'Run "Destroy CodeMie environment" again: it deletes what is left and skips what is gone.',
          }
        : {
            severity: 'warning',
            title: 'Being destroyed',
            detail: `Destroy has been running since ${lifecycle.since}${task}.`,
            fix: "Follow the destroy task's log; the environment leaves the catalog when it finishes.",
          },
    ];
  }
  if (lifecycle.state === 'resizing') {
    return [
      lifecycle.lastError
        ? {
            // The environment still serves: what runs is the old or the new sizing, per component.
            severity: 'warning',
            title: 'Resize stopped before the end',
            detail: lifecycle.lastError,
            fix: `The environment keeps serving on what is in place. Run "Resize CodeMie environment" for ${environmentName} again — with the same sizing to finish, or another: each run picks up where the cluster is — or Retry the task${task}.`,
          }
        : {
            severity: 'warning',
            title: 'Being resized',
            detail: `A resize has been running since ${lifecycle.since}${task}; components roll one pod at a time within their PodDisruptionBudgets.`,
            fix: "Follow the resize task's log; this page shows the new sizing once it finishes.",
          },
    ];
  }
  if (CREATING.has(lifecycle.state)) {
    return [
      {
        severity: 'warning',
        title: `Being created: ${lifecycle.state}`,
        detail: `The create task${task} is at step "${lifecycle.state}" since ${lifecycle.since}.`,
        fix: "Follow the task's log; this page shows the workloads once deploy has started.",
      },
    ];
  }
  return [];
}

/** The verdict's floor for a lifecycle state: failures are errors, work in progress pending. @internal */
export function lifecycleHealth(
  lifecycle: EnvironmentLifecycleFacts,
): HealthLevel | undefined {
  if (lifecycle.state === 'failed') return 'error';
  if (lifecycle.state === 'destroying') {
    if (lifecycle.retryAfter) return 'warning';
    return lifecycle.lastError ? 'error' : 'pending';
  }
  // A resize keeps the environment serving: the live status says how well; a stopped one warns.
  if (lifecycle.state === 'resizing')
    return lifecycle.lastError ? 'warning' : undefined;
  if (CREATING.has(lifecycle.state)) return 'pending';
  return undefined;
}
