export * from './SandboxClock';
export * from './Journal';
export * from './FaultInjector';
