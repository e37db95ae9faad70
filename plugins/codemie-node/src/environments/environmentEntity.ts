import {
  Entity,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  CODEMIE_ANNOTATIONS,
  CODEMIE_ENVIRONMENT_TYPE,
  environmentLocationRef,
} from '@codemie-gcp/plugin-codemie-common';
import { EnvironmentRecord, RecordedSpec } from './types';

/**
 * The outputs recorded after provisioning (no secrets).
 *
 * @public
 */
export interface RecordedOutputs {
  /** The GKE cluster's name. */
  clusterName?: string;
  /** The GKE cluster's location (region or zone). */
  clusterLocation?: string;
  /** The Cloud SQL connection name, `<project>:<region>:<instance>`. */
  sqlConnectionName?: string;
  /** Further outputs of the provisioning and deploy steps. */
  [key: string]: unknown;
}

/**
 * The catalog entity of a recorded environment: `kind: Resource` in the namespace named after
 * its Google Cloud project, `spec.type: codemie-environment`, with the annotations people and
 * the Kubernetes plugin read. The status API does not trust these annotations for environments
 * it created: it reads their record. Pure, for the entity provider and its tests.
 *
 * @public
 */
export function environmentEntity(
  record: EnvironmentRecord,
  options: { defaultSystem?: string } = {},
): Entity {
  const spec = record.spec as RecordedSpec;
  const outputs = (record.outputs ?? {}) as RecordedOutputs;
  const { input } = spec;
  const ref = parseEntityRef(record.entityRef);
  const location = environmentLocationRef(record);
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
    [CODEMIE_ANNOTATIONS.gcpProject]: input.projectId,
    [CODEMIE_ANNOTATIONS.tier]: spec.tier,
    [CODEMIE_ANNOTATIONS.option]: input.option,
    [CODEMIE_ANNOTATIONS.kubernetesId]: input.name,
    [CODEMIE_ANNOTATIONS.region]: input.region,
    [CODEMIE_ANNOTATIONS.domain]: input.domain,
    [CODEMIE_ANNOTATIONS.sizing]: JSON.stringify(input.sizing),
    'codemie.ai/state': record.state,
    // What provisioning created, once it has (a planned environment has no cluster yet).
    ...(outputs.clusterName
      ? {
          [CODEMIE_ANNOTATIONS.gkeCluster]: outputs.clusterName,
          // The Kubernetes tab queries this environment's cluster only.
          [CODEMIE_ANNOTATIONS.kubernetesCluster]: record.environmentRef,
        }
      : {}),
    ...(outputs.sqlConnectionName
      ? { [CODEMIE_ANNOTATIONS.cloudSqlInstance]: outputs.sqlConnectionName }
      : {}),
  };
  const system = spec.system ?? options.defaultSystem;
  const clusterLocation =
    outputs.clusterLocation ??
    /\/locations\/([^/]+)\//.exec(outputs.clusterName ?? '')?.[1];
  const links = [
    {
      url: `https://codemie.${input.domain}`,
      title: 'CodeMie',
      icon: 'dashboard',
    },
    { url: `https://kibana.${input.domain}`, title: 'Kibana' },
    {
      url: `https://keycloak.${input.domain}/auth/admin`,
      title: 'Keycloak admin',
    },
    ...(clusterLocation
      ? [
          {
            url: `https://console.cloud.google.com/kubernetes/clusters/details/${clusterLocation}/${input.name}-gke?project=${input.projectId}`,
            title: 'GKE cluster in the Cloud Console',
          },
        ]
      : []),
  ];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      title: `CodeMie ${input.name}`,
      description:
        spec.description ??
        `CodeMie environment (${input.option} option, ${spec.tier} tier) in ${input.projectId}/${input.region}`,
      annotations,
      tags: ['codemie', 'gcp', input.option],
      links,
    },
    spec: {
      type: CODEMIE_ENVIRONMENT_TYPE,
      lifecycle: 'production',
      owner: record.owner,
      ...(system ? { system } : {}),
    },
  };
}
