export { ProblemsPanel, sortProblems } from './ProblemsPanel';
export type { ProblemsPanelProps } from './ProblemsPanel';
