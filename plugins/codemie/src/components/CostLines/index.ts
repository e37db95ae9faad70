export { CostLines } from './CostLines';
export type { CostLinesProps } from './CostLines';
