export { EntityCodemieContent } from './EntityCodemieContent';
export type { EntityCodemieContentProps } from './EntityCodemieContent';
