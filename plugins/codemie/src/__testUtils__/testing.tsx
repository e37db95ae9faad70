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
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { codemieApiRef } from '../api';
import { demoEntity } from '../__fixtures__/demoEnvironment';
import { createTestClient } from './msw';

export * from './msw';

/**
 * Renders `element` for `entity` with the real client and the given config. `mayUpdate` is the
 * permission backend's answer to `codemie.environment.update` (default: not an owner).
 */
export function renderForEntity(
  element: ReactElement,
  options: {
    entity?: Entity;
    config?: Record<string, unknown>;
    mayUpdate?: boolean;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [codemieApiRef, createTestClient()],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.mayUpdate
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          }),
        ],
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
