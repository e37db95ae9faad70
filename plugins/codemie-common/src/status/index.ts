export * from './types';
export * from './planPreview';
export * from './previewPlan';
export * from './diagnosePod';
