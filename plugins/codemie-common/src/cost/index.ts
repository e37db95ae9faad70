export * from './prices';
export * from './estimateMonthlyCost';
