import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { CodemieTextField } from './CodemieTextField';
import { CodemieEnvironmentPicker } from './CodemieEnvironmentPicker';
import {
  validateConfirmedName,
  validateEnvironmentIsFree,
  validateMayResize,
} from './validators';

/** `ui:field: CodemieProjectField` for the new frontend system's scaffolder. */
export const codemieProjectFormField = createFormField({
  name: 'CodemieProjectField',
  component: CodemieTextField,
  validation: validateEnvironmentIsFree,
});

/** `ui:field: CodemieConfirmName` for the new frontend system's scaffolder. */
export const codemieConfirmNameFormField = createFormField({
  name: 'CodemieConfirmName',
  component: CodemieTextField,
  validation: validateConfirmedName,
});

/** `ui:field: CodemieResizableEnvironment` for the new frontend system's scaffolder. */
export const codemieResizableEnvironmentFormField = createFormField({
  name: 'CodemieResizableEnvironment',
  component: CodemieEnvironmentPicker,
  validation: validateMayResize,
});
