export * from './SandboxState';
