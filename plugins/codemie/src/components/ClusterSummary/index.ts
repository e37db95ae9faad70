export {
  ClusterSummary,
  clusterHealth,
  databaseHealth,
} from './ClusterSummary';
export type { ClusterSummaryProps } from './ClusterSummary';
