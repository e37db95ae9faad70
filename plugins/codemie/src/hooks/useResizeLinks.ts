import { useRouteRef } from '@backstage/core-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  SizingAdvice,
  codemieEnvironmentUpdatePermission,
} from '@codemie-gcp/plugin-codemie-common';
import { selectedTemplateRouteRef } from '../routes';

/** The template the resize links open. */
export const RESIZE_TEMPLATE = {
  namespace: 'default',
  templateName: 'resize-codemie-environment',
};

/** Where the scaffolder serves a template when no route is bound (its default mount point). */
const DEFAULT_TEMPLATE_PATH = `/create/templates/${RESIZE_TEMPLATE.namespace}/${RESIZE_TEMPLATE.templateName}`;

/** The resize template's URL with its form pre-filled (the scaffolder reads `?formData=`). */
export function resizeTemplateUrl(
  base: string,
  formData: Record<string, unknown>,
): string {
  return `${base}?${new URLSearchParams({ formData: JSON.stringify(formData) })}`;
}

/** What the entity page offers for resizing an environment. */
export interface ResizeLinks {
  /** Still asking the permission backend. */
  loading: boolean;
  /** The user may resize (owners, under the portal's policy). */
  allowed: boolean;
  /** The form for this environment, nothing else chosen (owners only). */
  link?: string;
  /** The form pre-filled to carry out one piece of advice (owners only). */
  linkOf?: (advice: SizingAdvice) => string | undefined;
  /** Why not, for everyone else. */
  refusal?: string;
}

/**
 * The resize links of an environment's entity page, for the users allowed
 * `codemie.environment.update` on it; for everyone else, a sentence saying who may.
 */
export function useResizeLinks(entity: Entity): ResizeLinks {
  const entityRef = stringifyEntityRef(entity);
  const { allowed, loading } = usePermission({
    permission: codemieEnvironmentUpdatePermission,
    resourceRef: entityRef,
  });
  const route = useRouteRef(selectedTemplateRouteRef);
  const base = route ? route(RESIZE_TEMPLATE) : DEFAULT_TEMPLATE_PATH;
  if (loading) return { loading, allowed: false };
  if (!allowed) {
    const owner = String(entity.spec?.owner ?? 'its owners');
    return {
      loading,
      allowed,
      refusal: `Only the owners of this environment (${owner}) may resize it, so the advice is shown without Resize buttons. Resize an environment your team owns from its page.`,
    };
  }
  return {
    loading,
    allowed,
    link: resizeTemplateUrl(base, { environment: entityRef }),
    linkOf: advice =>
      advice.resize
        ? resizeTemplateUrl(base, {
            environment: entityRef,
            tier: advice.resize.tier,
            ...(advice.resize.tier === 'custom'
              ? { sizing: advice.resize.sizing }
              : {}),
          })
        : undefined,
  };
}
