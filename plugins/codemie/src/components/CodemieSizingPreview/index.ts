export {
  CodemieSizingPreview,
  SizingPreview,
  planRequestFrom,
  PREVIEW_DEBOUNCE_MS,
} from './CodemieSizingPreview';
export type {
  CodemieSizingPreviewValue,
  SizingPreviewProps,
} from './CodemieSizingPreview';
