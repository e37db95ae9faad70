export {
  AdviceList,
  formatAdviceChange,
  SandboxDataChip,
  SANDBOX_HISTORY_NOTE,
} from './AdviceList';
export type { AdviceListProps } from './AdviceList';
