export { HealthChip, HEALTH_LABELS, HEALTH_ORDER } from './HealthChip';
export type { HealthChipProps } from './HealthChip';
