import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';

/**
 * The CodeMie frontend plugin (legacy frontend system).
 *
 * @public
 */
export const codemiePlugin = createPlugin({
  id: 'codemie',
  routes: { root: rootRouteRef },
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
