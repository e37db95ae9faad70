import { codemiePlugin, CodemieSizingPreviewFieldExtension } from './plugin';
import { createElement } from 'react';
import { getComponentData } from '@backstage/core-plugin-api';
import { codemieApiRef } from './api';
import { CodemieSizingPreview } from './components/CodemieSizingPreview';

describe('codemiePlugin (legacy frontend system)', () => {
  it('registers the CodeMie API factory', () => {
    expect(codemiePlugin.getId()).toBe('codemie');
    const factories = Array.from(codemiePlugin.getApis());
    expect(factories.map(f => f.api)).toEqual([codemieApiRef]);
  });

  it('provides the CodemieSizingPreview scaffolder field extension', () => {
    // createScaffolderFieldExtension attaches its options as component data, which
    // <ScaffolderFieldExtensions> collects.
    const options = getComponentData(
      createElement(CodemieSizingPreviewFieldExtension),
      'scaffolder.extensions.field.v1',
    );
    expect(options).toMatchObject({
      name: 'CodemieSizingPreview',
      component: CodemieSizingPreview,
    });
  });
});
