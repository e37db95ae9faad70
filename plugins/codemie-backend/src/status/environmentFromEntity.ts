import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CODEMIE_ANNOTATIONS,
  CODEMIE_ENVIRONMENT_TYPE,
  SIZING_PRESETS,
  missingCodemieAnnotations,
  SizingInputs,
  SizingPresetName,
  TierSizing,
  sizeEnvironment,
  sizePreset,
} from '@codemie-gcp/plugin-codemie-common';
import type { EnvironmentDescriptor } from './types';

/** Region of a cluster location (`europe-west3` or `europe-west3-a`). @internal */
export function regionOfLocation(location: string): string {
  return location.replace(/-[a-z]$/, '');
}

const CLUSTER_NAME =
  /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/;

/** True for `kind: Resource`, `spec.type: codemie-environment`. @internal */
export function isCodemieEnvironment(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === CODEMIE_ENVIRONMENT_TYPE
  );
}

/**
 * Reads a CodeMie environment from its catalog entity's annotations. Throws `InputError` (400)
 * naming what is missing or malformed, or when the entity is not a CodeMie environment.
 *
 * @internal
 */
export function environmentFromEntity(entity: Entity): EnvironmentDescriptor {
  const entityRef = stringifyEntityRef(entity);
  if (!isCodemieEnvironment(entity)) {
    throw new InputError(
      `${entityRef} is not a CodeMie environment: expected kind Resource with spec.type ${CODEMIE_ENVIRONMENT_TYPE}`,
    );
  }
  const annotations = entity.metadata.annotations ?? {};
  const missing = missingCodemieAnnotations(entity);
  if (missing.length > 0) {
    throw new InputError(
      `${entityRef} lacks the annotation${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  }
  const required = (key: string) => {
    const value = annotations[key]?.trim();
    if (!value)
      throw new InputError(`${entityRef} lacks the annotation ${key}`);
    return value;
  };

  const cluster = required(CODEMIE_ANNOTATIONS.gkeCluster);
  const match = CLUSTER_NAME.exec(cluster);
  if (!match) {
    throw new InputError(
      `${entityRef}: annotation ${CODEMIE_ANNOTATIONS.gkeCluster} must be projects/<project>/locations/<location>/clusters/<cluster>, got '${cluster}'`,
    );
  }
  const projectId =
    annotations[CODEMIE_ANNOTATIONS.gcpProject]?.trim() || match[1];
  const option = annotations[CODEMIE_ANNOTATIONS.option]?.trim() || 'public';
  if (option !== 'public' && option !== 'private') {
    throw new InputError(
      `${entityRef}: annotation ${CODEMIE_ANNOTATIONS.option} must be public or private, got '${option}'`,
    );
  }
  const { tier, sizing } = sizingOf(entityRef, annotations);
  const cloudSqlInstance =
    annotations[CODEMIE_ANNOTATIONS.cloudSqlInstance]?.trim();
  if (cloudSqlInstance && cloudSqlInstance.split(':').length !== 3) {
    throw new InputError(
      `${entityRef}: annotation ${CODEMIE_ANNOTATIONS.cloudSqlInstance} must be <project>:<region>:<instance>, got '${cloudSqlInstance}'`,
    );
  }

  return {
    entityRef,
    name: entity.metadata.name,
    projectId,
    option,
    tier,
    sizing,
    region:
      annotations[CODEMIE_ANNOTATIONS.region]?.trim() ||
      regionOfLocation(match[2]),
    ...(annotations[CODEMIE_ANNOTATIONS.domain]
      ? { domain: annotations[CODEMIE_ANNOTATIONS.domain].trim() }
      : {}),
    cluster,
    clusterLocation: match[2],
    clusterShortName: match[3],
    ...(cloudSqlInstance ? { cloudSqlInstance } : {}),
    kubernetesId: required(CODEMIE_ANNOTATIONS.kubernetesId),
  };
}

function sizingOf(
  entityRef: string,
  annotations: Record<string, string>,
): { tier: string; sizing: TierSizing } {
  const custom = annotations[CODEMIE_ANNOTATIONS.sizing];
  if (custom) {
    let inputs: SizingInputs;
    try {
      inputs = JSON.parse(custom);
    } catch (e) {
      throw new InputError(
        `${entityRef}: annotation ${CODEMIE_ANNOTATIONS.sizing} is not JSON: ${(e as Error).message}`,
      );
    }
    const tier = annotations[CODEMIE_ANNOTATIONS.tier]?.trim() || 'custom';
    try {
      return { tier, sizing: sizeEnvironment(inputs, tier) };
    } catch (e) {
      throw new InputError(
        `${entityRef}: annotation ${CODEMIE_ANNOTATIONS.sizing}: ${(e as Error).message}`,
      );
    }
  }
  const tier = annotations[CODEMIE_ANNOTATIONS.tier]?.trim();
  if (!tier) {
    throw new InputError(
      `${entityRef} lacks the annotation ${CODEMIE_ANNOTATIONS.tier} (a preset: ${Object.keys(SIZING_PRESETS).join(', ')}) or ${CODEMIE_ANNOTATIONS.sizing}`,
    );
  }
  if (!(tier in SIZING_PRESETS)) {
    throw new InputError(
      `${entityRef}: tier '${tier}' is not a preset (${Object.keys(SIZING_PRESETS).join(', ')}); give custom tiers their inputs in ${CODEMIE_ANNOTATIONS.sizing}`,
    );
  }
  return { tier, sizing: sizePreset(tier as SizingPresetName) };
}
