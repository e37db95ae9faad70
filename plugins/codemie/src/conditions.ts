import { Entity } from '@backstage/catalog-model';
import { CODEMIE_ENVIRONMENT_TYPE } from '@codemie-gcp/plugin-codemie-common';

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

// One descriptor for the annotations, shared with the catalog provider and the status API.
export {
  CODEMIE_REQUIRED_ANNOTATIONS as REQUIRED_CODEMIE_ANNOTATIONS,
  missingCodemieAnnotations,
} from '@codemie-gcp/plugin-codemie-common';
