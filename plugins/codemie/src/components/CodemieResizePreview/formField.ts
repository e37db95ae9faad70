import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { CodemieResizePreview } from './CodemieResizePreview';

/** The field for the new frontend system's scaffolder (loaded lazily by `./alpha`). */
export const codemieResizePreviewFormField = createFormField({
  name: 'CodemieResizePreview',
  component: CodemieResizePreview,
});
