export * from './EnvironmentInputError';
export * from './validateEnvironmentInput';
export * from './environmentInputContract';
export * from './planEnvironment';
export * from './serviceAccounts';
