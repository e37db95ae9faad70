/**
 * The CodeMie plugin for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { codemieApiRef, CodemieClient } from './api';
import { isCodemieEnvironment } from './conditions';

/**
 * The CodeMie status API client (`api:codemie`).
 *
 * @alpha
 */
export const codemieApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: codemieApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CodemieClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The CodeMie tab of `codemie-environment` entities (`entity-content:codemie`).
 *
 * @alpha
 */
export const codemieEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'codemie',
    title: 'CodeMie',
    filter: isCodemieEnvironment,
    loader: () =>
      import('./components/EntityCodemieContent').then(m => (
        <m.EntityCodemieContent />
      )),
  },
});

/**
 * The CodeMie card on the overview tab of `codemie-environment` entities
 * (`entity-card:codemie`).
 *
 * @alpha
 */
export const codemieEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isCodemieEnvironment,
    loader: () =>
      import('./components/EntityCodemieOverviewCard').then(m => (
        <m.EntityCodemieOverviewCard />
      )),
  },
});

/**
 * The scaffolder field `ui:field: CodemieSizingPreview`
 * (`scaffolder-form-field:codemie/sizing-preview`), attached to the scaffolder's form fields API.
 *
 * @alpha
 */
export const codemieSizingPreviewFormField = FormFieldBlueprint.make({
  name: 'sizing-preview',
  params: {
    field: () =>
      import('./components/CodemieSizingPreview/formField').then(
        m => m.codemieSizingPreviewFormField,
      ),
  },
});

/**
 * The scaffolder field `ui:field: CodemieProjectField`
 * (`scaffolder-form-field:codemie/project`): a project id whose environment name must be free.
 *
 * @alpha
 */
export const codemieProjectFormField = FormFieldBlueprint.make({
  name: 'project',
  params: {
    field: () =>
      import('./components/CodemieFormFields/formFields').then(
        m => m.codemieProjectFormField,
      ),
  },
});

/**
 * The scaffolder field `ui:field: CodemieConfirmName`
 * (`scaffolder-form-field:codemie/confirm-name`): the destroy form's typed confirmation.
 *
 * @alpha
 */
export const codemieConfirmNameFormField = FormFieldBlueprint.make({
  name: 'confirm-name',
  params: {
    field: () =>
      import('./components/CodemieFormFields/formFields').then(
        m => m.codemieConfirmNameFormField,
      ),
  },
});

/**
 * The scaffolder field `ui:field: CodemieResizableEnvironment`
 * (`scaffolder-form-field:codemie/resizable-environment`): an environment the user may resize.
 *
 * @alpha
 */
export const codemieResizableEnvironmentFormField = FormFieldBlueprint.make({
  name: 'resizable-environment',
  params: {
    field: () =>
      import('./components/CodemieFormFields/formFields').then(
        m => m.codemieResizableEnvironmentFormField,
      ),
  },
});

/**
 * The scaffolder field `ui:field: CodemieResizePreview`
 * (`scaffolder-form-field:codemie/resize-preview`): the resize's plan diff.
 *
 * @alpha
 */
export const codemieResizePreviewFormField = FormFieldBlueprint.make({
  name: 'resize-preview',
  params: {
    field: () =>
      import('./components/CodemieResizePreview/formField').then(
        m => m.codemieResizePreviewFormField,
      ),
  },
});

/**
 * The CodeMie frontend plugin (new frontend system).
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'codemie',
  extensions: [
    codemieApi,
    codemieEntityContent,
    codemieEntityCard,
    codemieSizingPreviewFormField,
    codemieProjectFormField,
    codemieConfirmNameFormField,
    codemieResizableEnvironmentFormField,
    codemieResizePreviewFormField,
  ],
});
