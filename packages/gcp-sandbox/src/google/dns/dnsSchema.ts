import type { INamespace } from 'protobufjs';

const s = (id: number) => ({ type: 'string', id });
const rs = (id: number) => ({ type: 'string', id, rule: 'repeated' });
const any = (id: number) => ({ type: 'google.protobuf.Struct', id });

/**
 * The Cloud DNS v1 resources the sandbox serves, with the fields the API reference documents
 * (cloud.google.com/dns/docs/reference/v1/managedZones, /changes, /resourceRecordSets). Nested
 * configurations the sandbox does not interpret (DNSSEC, forwarding, peering, routing policies)
 * are accepted as any object.
 */
export const DNS_SCHEMA: INamespace = {
  nested: {
    google: {
      nested: {
        protobuf: { nested: { Struct: { fields: {} } } },
        dns: {
          nested: {
            v1: {
              nested: {
                ManagedZone: {
                  fields: {
                    kind: s(1),
                    name: s(2),
                    dnsName: s(3),
                    description: s(4),
                    id: { type: 'uint64', id: 5 },
                    nameServers: rs(6),
                    creationTime: s(7),
                    dnssecConfig: any(8),
                    nameServerSet: s(9),
                    visibility: s(10),
                    privateVisibilityConfig: {
                      type: 'PrivateVisibilityConfig',
                      id: 11,
                    },
                    forwardingConfig: any(12),
                    labels: {
                      keyType: 'string',
                      type: 'string',
                      id: 13,
                    } as any,
                    peeringConfig: any(14),
                    reverseLookupConfig: any(15),
                    serviceDirectoryConfig: any(16),
                    cloudLoggingConfig: { type: 'CloudLoggingConfig', id: 17 },
                  },
                },
                PrivateVisibilityConfig: {
                  fields: {
                    kind: s(1),
                    networks: {
                      type: 'PrivateVisibilityNetwork',
                      id: 2,
                      rule: 'repeated',
                    },
                    gkeClusters: {
                      type: 'PrivateVisibilityGkeCluster',
                      id: 3,
                      rule: 'repeated',
                    },
                  },
                },
                PrivateVisibilityNetwork: {
                  fields: { kind: s(1), networkUrl: s(2) },
                },
                PrivateVisibilityGkeCluster: {
                  fields: { kind: s(1), gkeClusterName: s(2) },
                },
                CloudLoggingConfig: {
                  fields: {
                    kind: s(1),
                    enableLogging: { type: 'bool', id: 2 },
                  },
                },
                ResourceRecordSet: {
                  fields: {
                    kind: s(1),
                    name: s(2),
                    type: s(3),
                    ttl: { type: 'int32', id: 4 },
                    rrdatas: rs(5),
                    signatureRrdatas: rs(6),
                    routingPolicy: any(7),
                  },
                },
                Change: {
                  fields: {
                    kind: s(1),
                    additions: {
                      type: 'ResourceRecordSet',
                      id: 2,
                      rule: 'repeated',
                    },
                    deletions: {
                      type: 'ResourceRecordSet',
                      id: 3,
                      rule: 'repeated',
                    },
                    startTime: s(4),
                    id: s(5),
                    status: s(6),
                    isServing: { type: 'bool', id: 7 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
