export * from './machines';
export * from './packing';
export * from './planNodePool';
