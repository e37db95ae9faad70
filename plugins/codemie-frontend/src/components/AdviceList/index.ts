export { AdviceList, formatAdviceChange } from './AdviceList';
export type { AdviceListProps } from './AdviceList';
