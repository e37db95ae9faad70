import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { CodemieSizingPreview } from './CodemieSizingPreview';

/** The field for the new frontend system's scaffolder (loaded lazily by `./alpha`). */
export const codemieSizingPreviewFormField = createFormField({
  name: 'CodemieSizingPreview',
  component: CodemieSizingPreview,
});
