export { UsageChart } from './UsageChart';
export type { UsageChartProps, ChartResource } from './UsageChart';
