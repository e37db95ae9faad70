export * from './components';
export * from './errors';
export * from './quantities';
export * from './tiers';
export * from './parseQuantities';
