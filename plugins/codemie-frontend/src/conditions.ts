import { Entity } from '@backstage/catalog-model';
import {
  CODEMIE_ANNOTATIONS,
  CODEMIE_ENVIRONMENT_TYPE,
} from '@codemie-gcp/plugin-codemie-common';

/**
 * True for the catalog entities that describe a CodeMie environment
 * (`kind: Resource`, `spec.type: codemie-environment`).
 *
 * @public
 */
export function isCodemieEnvironment(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === CODEMIE_ENVIRONMENT_TYPE
  );
}

/** The annotations the status API cannot work without. */
export const REQUIRED_CODEMIE_ANNOTATIONS: readonly string[] = [
  CODEMIE_ANNOTATIONS.gcpProject,
  CODEMIE_ANNOTATIONS.gkeCluster,
];

/** The required annotations the entity lacks (empty when it has them all). */
export function missingCodemieAnnotations(entity: Entity): string[] {
  const annotations = entity.metadata.annotations ?? {};
  return REQUIRED_CODEMIE_ANNOTATIONS.filter(a => !annotations[a]?.trim());
}
