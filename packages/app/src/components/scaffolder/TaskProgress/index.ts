export { TaskProgress, TaskOutputsWithProgress } from './TaskProgress';
export type { TaskProgressProps } from './TaskProgress';
