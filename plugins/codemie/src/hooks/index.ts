export {
  useCodemieStatus,
  useRefreshIntervalMs,
  REFRESH_INTERVAL_CONFIG_KEY,
  DEFAULT_REFRESH_INTERVAL_SECONDS,
  MIN_REFRESH_INTERVAL_SECONDS,
} from './useCodemieStatus';
export type { CodemieStatusState } from './useCodemieStatus';
export { useCodemieHistory } from './useCodemieHistory';
export {
  useResizeLinks,
  resizeTemplateUrl,
  RESIZE_TEMPLATE,
} from './useResizeLinks';
export type { ResizeLinks } from './useResizeLinks';
