/**
 * Shared types and pure logic for the CodeMie plugins: entity annotations, the sizing model,
 * the node-pool planner and the cost estimate. No I/O.
 *
 * @packageDocumentation
 */
export * from './entity';
export * from './gke';
export * from './sizing';
export * from './planner';
export * from './cost';
export * from './status';
export * from './environment';
export * from './resize';
export * from './permissions';
export * from './format';
