/**
 * CodeMie on Google Cloud: every CodeMie environment's GKE cluster for Backstage's Kubernetes
 * plugin, read from the codemie plugin's environment records.
 *
 * @packageDocumentation
 */
export { kubernetesModuleCodemieClusters as default } from './module';
export { CodemieClusterSupplier } from './CodemieClusterSupplier';
export type {
  CodemieClusterAuth,
  CodemieClusterSupplierOptions,
} from './CodemieClusterSupplier';
