export * from './types';
export * from './CodemieEnvironmentStore';
export { CodemieEnvironmentsClient } from './CodemieEnvironmentsClient';
export { codemieEnvironmentStoreServiceRef } from './codemieEnvironmentStoreServiceRef';
