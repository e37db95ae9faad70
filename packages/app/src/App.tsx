import { Navigate, Route } from 'react-router-dom';
import { createApp } from '@backstage/app-defaults';
import { AppRouter, FlatRoutes } from '@backstage/core-app-api';
import { AlertDisplay, OAuthRequestDialog } from '@backstage/core-components';
import {
  CatalogEntityPage,
  CatalogIndexPage,
  catalogPlugin,
} from '@backstage/plugin-catalog';
import { CatalogImportPage } from '@backstage/plugin-catalog-import';
import { ScaffolderPage, scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { ScaffolderFieldExtensions } from '@backstage/plugin-scaffolder-react';
import {
  CodemieConfirmNameFieldExtension,
  CodemieProjectFieldExtension,
  CodemieResizableEnvironmentFieldExtension,
  CodemieResizePreviewFieldExtension,
  CodemieSizingPreviewFieldExtension,
  codemiePlugin,
} from '@codemie-gcp/plugin-codemie';
import { apis } from './apis';
import { entityPage } from './components/catalog/EntityPage';
import { TaskOutputsWithProgress } from './components/scaffolder/TaskProgress';
import { Root } from './components/Root';
import { CodemieSignInPage } from './components/SignInPage';

const app = createApp({
  apis,
  bindRoutes({ bind }) {
    bind(catalogPlugin.externalRoutes, {
      createComponent: scaffolderPlugin.routes.root,
    });
    bind(scaffolderPlugin.externalRoutes, {
      registerComponent: catalogPlugin.routes.catalogIndex,
    });
    // The advice card's "Resize" button opens the resize template.
    bind(codemiePlugin.externalRoutes, {
      selectedTemplate: scaffolderPlugin.routes.selectedTemplate,
    });
  },
  components: {
    SignInPage: CodemieSignInPage,
  },
});

const routes = (
  <FlatRoutes>
    <Route path="/" element={<Navigate to="catalog" />} />
    <Route path="/catalog" element={<CatalogIndexPage />} />
    <Route
      path="/catalog/:namespace/:kind/:name"
      element={<CatalogEntityPage />}
    >
      {entityPage}
    </Route>
    <Route
      path="/create"
      element={
        <ScaffolderPage
          components={{
            // The running step's log lines as they come, above the task's outputs.
            EXPERIMENTAL_TemplateOutputsComponent: TaskOutputsWithProgress,
          }}
        />
      }
    >
      <ScaffolderFieldExtensions>
        <CodemieSizingPreviewFieldExtension />
        <CodemieProjectFieldExtension />
        <CodemieConfirmNameFieldExtension />
        <CodemieResizableEnvironmentFieldExtension />
        <CodemieResizePreviewFieldExtension />
      </ScaffolderFieldExtensions>
    </Route>
    <Route path="/catalog-import" element={<CatalogImportPage />} />
  </FlatRoutes>
);

export default app.createRoot(
  <>
    <AlertDisplay />
    <OAuthRequestDialog />
    <AppRouter>
      <Root>{routes}</Root>
    </AppRouter>
  </>,
);
