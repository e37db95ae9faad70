import { screen } from '@testing-library/react';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  demoEntity,
  demoHistory,
  demoStatus,
} from './__fixtures__/demoEnvironment';
import { demoPlanPreview } from './__fixtures__/demoPlanPreview';
import { CodemieSizingPreview } from './components/CodemieSizingPreview';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { mockApis } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { CodemieApi, codemieApiRef } from './api';
import codemiePlugin, {
  codemieApi,
  codemieEntityCard,
  codemieEntityContent,
  codemieSizingPreviewFormField,
} from './alpha';

const component = {
  ...demoEntity,
  kind: 'Component',
  spec: { type: 'service' },
};

const fakeApi: CodemieApi = {
  getStatus: async () => demoStatus,
  getHistory: async () => demoHistory('24h'),
  previewPlan: async () => demoPlanPreview,
  previewResize: async () => {
    throw new Error('not used here');
  },
  getEnvironment: async () => undefined,
};

jest.setTimeout(60_000);

describe('new frontend system plugin (./alpha)', () => {
  it('is the codemie plugin with the API, the tab and the card', () => {
    expect(codemiePlugin.pluginId).toBe('codemie');
    // The plugin binds its extensions to its namespace: api:codemie, entity-content:codemie…
    const api = createExtensionTester(
      codemiePlugin.getExtension('api:codemie'),
    );
    expect(api.get(ApiBlueprint.dataRefs.factory).api).toBe(codemieApiRef);
    const tab = createExtensionTester(
      codemiePlugin.getExtension('entity-content:codemie'),
    );
    expect(tab.get(coreExtensionData.routePath)).toBe('codemie');
    const card = createExtensionTester(
      codemiePlugin.getExtension('entity-card:codemie'),
    );
    expect(
      card.get(EntityCardBlueprint.dataRefs.filterFunction)!(demoEntity),
    ).toBe(true);
  });

  it('provides the CodemieSizingPreview scaffolder field', async () => {
    expect(
      codemiePlugin.getExtension(
        'scaffolder-form-field:codemie/sizing-preview',
      ),
    ).toBeDefined();
    const tester = createExtensionTester(codemieSizingPreviewFormField);
    const field = await tester.get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    )();
    expect(field.$$type).toBe('@backstage/scaffolder/FormField');
    // An opaque type: the options (name, component) are its own properties at runtime.
    expect(field).toMatchObject({
      name: 'CodemieSizingPreview',
      component: CodemieSizingPreview,
    });
  });

  it('provides the CodeMie API client factory', () => {
    const tester = createExtensionTester(codemieApi);
    expect(tester.get(ApiBlueprint.dataRefs.factory).api).toBe(codemieApiRef);
  });

  it('mounts the tab at codemie, titled CodeMie, for codemie environments only', () => {
    const tester = createExtensionTester(codemieEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('codemie');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('CodeMie');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(demoEntity)).toBe(true);
    expect(filter(component)).toBe(false);
  });

  it('shows the card on codemie environments only', () => {
    const tester = createExtensionTester(codemieEntityCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(demoEntity)).toBe(true);
    expect(filter(component)).toBe(false);
  });

  it('renders the tab from the extension', async () => {
    const tester = createExtensionTester(codemieEntityContent);
    renderInTestApp(
      <EntityProvider entity={demoEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [
          [codemieApiRef, fakeApi],
          [permissionApiRef, mockApis.permission()],
        ],
        config: { codemie: { frontend: { refreshIntervalSeconds: 0 } } },
      },
    );
    expect(
      // The first render loads the app and the lazy extension.
      await screen.findByLabelText('CodeMie components', undefined, {
        timeout: 30_000,
      }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Environment verdict')).toHaveTextContent(
      'auto-refresh off',
    );
  });

  it('renders the card from the extension', async () => {
    const tester = createExtensionTester(codemieEntityCard);
    renderInTestApp(
      <EntityProvider entity={demoEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[codemieApiRef, fakeApi]] },
    );
    expect(
      await screen.findByText(
        'components healthy',
        { exact: false },
        { timeout: 10_000 },
      ),
    ).toHaveTextContent('9/12 components healthy');
  });
});
