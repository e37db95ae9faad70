import {
  Entity,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
} from '@backstage/catalog-model';
import {
  CODEMIE_ANNOTATIONS,
  CODEMIE_ENVIRONMENT_TYPE,
  EnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import { EnvironmentRecord } from '../database/CodemieStore';

/** What the provisioning action records as an environment's spec. */
export interface RecordedSpec {
  input: EnvironmentInput;
  tier: string;
  description?: string;
  system?: string;
}

/** The outputs recorded after provisioning (no secrets). */
export interface RecordedOutputs {
  clusterName?: string;
  sqlConnectionName?: string;
  [key: string]: unknown;
}

/**
 * The catalog entity of a recorded environment: `kind: Resource`, `spec.type:
 * codemie-environment`, with the annotations the status API and the entity page read.
 * Pure, for the entity provider and its tests.
 */
export function environmentEntity(
  record: EnvironmentRecord,
  options: { defaultSystem?: string } = {},
): Entity {
  const spec = record.spec as RecordedSpec;
  const outputs = (record.outputs ?? {}) as RecordedOutputs;
  const { input } = spec;
  const location = `codemie-environment:${record.environmentRef}`;
  const clusterLocation = input.regional ? input.region : `${input.region}-b`;
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
    [CODEMIE_ANNOTATIONS.gcpProject]: input.projectId,
    [CODEMIE_ANNOTATIONS.gkeCluster]:
      outputs.clusterName ??
      `projects/${input.projectId}/locations/${clusterLocation}/clusters/${input.name}-gke`,
    [CODEMIE_ANNOTATIONS.cloudSqlInstance]:
      outputs.sqlConnectionName ??
      `${input.projectId}:${input.region}:${input.name}-pg`,
    [CODEMIE_ANNOTATIONS.tier]: spec.tier,
    [CODEMIE_ANNOTATIONS.option]: input.option,
    [CODEMIE_ANNOTATIONS.kubernetesId]: input.name,
    [CODEMIE_ANNOTATIONS.region]: input.region,
    [CODEMIE_ANNOTATIONS.domain]: input.domain,
    [CODEMIE_ANNOTATIONS.sizing]: JSON.stringify(input.sizing),
    'codemie.ai/state': record.state,
  };
  const system = spec.system ?? options.defaultSystem;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: input.name,
      namespace: 'default',
      title: `CodeMie ${input.name}`,
      description:
        spec.description ??
        `CodeMie environment (${input.option} option, ${spec.tier} tier) in ${input.projectId}/${input.region}`,
      annotations,
      tags: ['codemie', 'gcp', input.option],
      links: [
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
        {
          url: `https://console.cloud.google.com/kubernetes/clusters/details/${clusterLocation}/${input.name}-gke?project=${input.projectId}`,
          title: 'GKE cluster in the Cloud Console',
        },
      ],
    },
    spec: {
      type: CODEMIE_ENVIRONMENT_TYPE,
      lifecycle: 'production',
      owner: record.owner,
      ...(system ? { system } : {}),
    },
  };
}
