export * from './types';
export * from './planPreview';
