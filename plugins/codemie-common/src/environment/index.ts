export * from './EnvironmentInputError';
export * from './validateEnvironmentInput';
export * from './planEnvironment';
