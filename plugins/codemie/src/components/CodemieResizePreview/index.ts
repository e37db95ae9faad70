export {
  CodemieResizePreview,
  ResizePreview,
  ResizePlanView,
  resizeRequestFrom,
} from './CodemieResizePreview';
export type { CodemieResizePreviewValue } from './CodemieResizePreview';
