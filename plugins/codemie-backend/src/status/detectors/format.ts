/** Number formats and the severity rule the detectors share. */
import {
  ComponentStatus,
  DetectedProblem,
  roundTo as round,
} from '@codemie-gcp/plugin-codemie-common';

/** MiB as GiB with one decimal (`1536` → `1.5 GiB`). */
export const gib = (mib: number) => `${round(mib / 1024, 1)} GiB`;

/** Millicores as cores with two decimals (`1250` → `1.25`). */
export const cores = (millis: number) => `${round(millis / 1000, 2)}`;

/** A component's pod problem is an error when the component is down, else a warning. */
export const severityOf = (
  component: ComponentStatus,
): DetectedProblem['severity'] =>
  component.health === 'error' ? 'error' : 'warning';

/** The component's pod rows in `state`, in row order (worst first). */
export const podsInState = (component: ComponentStatus, state: string) =>
  component.podRows.filter(r => r.state === state);
