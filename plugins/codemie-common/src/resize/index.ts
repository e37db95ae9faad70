export * from './resizeInputContract';
export * from './planResize';
export * from './resizeForAdvice';
