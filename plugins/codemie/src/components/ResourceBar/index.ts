export {
  ResourceBar,
  ResourceBarLegend,
  resourceBarLabel,
  usageLevel,
} from './ResourceBar';
export type {
  ResourceBarProps,
  ResourceBarValues,
  UsageLevel,
} from './ResourceBar';
