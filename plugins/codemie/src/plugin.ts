import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { rootRouteRef, selectedTemplateRouteRef } from './routes';
import { codemieApiRef, CodemieClient } from './api';
import { CodemieSizingPreview } from './components/CodemieSizingPreview';
import {
  CodemieEnvironmentPicker,
  CodemieTextField,
  validateConfirmedName,
  validateEnvironmentIsFree,
  validateMayResize,
} from './components/CodemieFormFields';
import { CodemieResizePreview } from './components/CodemieResizePreview';

/**
 * The CodeMie frontend plugin (legacy frontend system).
 *
 * @public
 */
export const codemiePlugin = createPlugin({
  id: 'codemie',
  apis: [
    createApiFactory({
      api: codemieApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CodemieClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
  externalRoutes: { selectedTemplate: selectedTemplateRouteRef },
});

/**
 * The CodeMie tab of a `codemie-environment` entity page.
 *
 * @public
 */
export const EntityCodemieContent = codemiePlugin.provide(
  createRoutableExtension({
    name: 'EntityCodemieContent',
    component: () =>
      import('./components/EntityCodemieContent').then(
        m => m.EntityCodemieContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The CodeMie card for the overview tab of a `codemie-environment` entity page.
 *
 * @public
 */
export const EntityCodemieOverviewCard = codemiePlugin.provide(
  createComponentExtension({
    name: 'EntityCodemieOverviewCard',
    component: {
      lazy: () =>
        import('./components/EntityCodemieOverviewCard').then(
          m => m.EntityCodemieOverviewCard,
        ),
    },
  }),
);

/**
 * The scaffolder field `ui:field: CodemieSizingPreview`: the sizing, node pool and monthly cost
 * of the values entered so far. Put it inside `<ScaffolderFieldExtensions>` under the
 * `/create` route.
 *
 * @public
 */
export const CodemieSizingPreviewFieldExtension = codemiePlugin.provide(
  createScaffolderFieldExtension({
    name: 'CodemieSizingPreview',
    component: CodemieSizingPreview,
  }),
);

/**
 * The scaffolder field `ui:field: CodemieProjectField`: the Google Cloud project id of a new
 * environment, refused on "Next" when the environment's name (field `name`) already exists in
 * that project — naming its owner — unless the form's `resume` is ticked for a failed create.
 *
 * @public
 */
export const CodemieProjectFieldExtension = codemiePlugin.provide(
  createScaffolderFieldExtension({
    name: 'CodemieProjectField',
    component: CodemieTextField,
    validation: validateEnvironmentIsFree,
  }),
);

/**
 * The scaffolder field `ui:field: CodemieConfirmName`: the destroy form's confirmation, refused
 * on "Next" unless it is exactly the name of the environment picked in field `environment`.
 *
 * @public
 */
export const CodemieConfirmNameFieldExtension = codemiePlugin.provide(
  createScaffolderFieldExtension({
    name: 'CodemieConfirmName',
    component: CodemieTextField,
    validation: validateConfirmedName,
  }),
);

/**
 * The scaffolder field `ui:field: CodemieResizableEnvironment`: a CodeMie environment of the
 * catalog (shown with its owner), refused on "Next" unless the portal recorded it, the user may
 * change it (`codemie.environment.update`: its owners) and it is ready to be resized.
 *
 * @public
 */
export const CodemieResizableEnvironmentFieldExtension = codemiePlugin.provide(
  createScaffolderFieldExtension({
    name: 'CodemieResizableEnvironment',
    component: CodemieEnvironmentPicker,
    validation: validateMayResize,
  }),
);

/**
 * The scaffolder field `ui:field: CodemieResizePreview`: what a resize changes — components,
 * node pool, monthly cost before → after — as `codemie:resize` will do it.
 *
 * @public
 */
export const CodemieResizePreviewFieldExtension = codemiePlugin.provide(
  createScaffolderFieldExtension({
    name: 'CodemieResizePreview',
    component: CodemieResizePreview,
  }),
);
