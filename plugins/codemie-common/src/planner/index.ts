export * from './budget';
export * from './machines';
export * from './packing';
export * from './placement';
export * from './planNodePool';
export * from './simulateScheduling';
export * from './nextStep';
