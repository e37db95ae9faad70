/* Test helpers: render inside a Backstage test app with the real client (see ./msw). */
import { ReactElement } from 'react';
import { configApiRef } from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { codemieApiRef } from '../api';
import { demoEntity } from '../__fixtures__/demoEnvironment';
import { createTestClient } from './msw';

export * from './msw';

/** Renders `element` for `entity` with the real client and the given config. */
export function renderForEntity(
  element: ReactElement,
  options: { entity?: Entity; config?: Record<string, unknown> } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [codemieApiRef, createTestClient()],
        [
          configApiRef,
          mockApis.config({ data: (options.config ?? {}) as any }),
        ],
      ]}
    >
      <EntityProvider entity={options.entity ?? demoEntity}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
  );
}
