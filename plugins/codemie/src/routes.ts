import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'codemie' });

/**
 * Where a template opens (the scaffolder's selected-template page): the advice card's "Resize"
 * button opens the "Resize CodeMie environment" template there, pre-filled. Bind it to
 * `scaffolderPlugin.routes.selectedTemplate`; unbound, the scaffolder's default path is used.
 */
export const selectedTemplateRouteRef = createExternalRouteRef({
  id: 'codemie-selected-template',
  params: ['namespace', 'templateName'],
  optional: true,
});
