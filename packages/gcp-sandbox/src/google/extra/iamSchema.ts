import type { INamespace } from 'protobufjs';

const s = (id: number) => ({ type: 'string', id });

/**
 * IAM v1 request bodies (cloud.google.com/iam/docs/reference/rest: serviceAccounts.create,
 * setIamPolicy) and Service Networking's `Connection`, for the APIs without an official
 * `@google-cloud/*` client.
 */
export const IAM_SCHEMA: INamespace = {
  nested: {
    sandbox: {
      nested: {
        ServiceAccount: {
          fields: {
            name: s(1),
            projectId: s(2),
            uniqueId: s(3),
            email: s(4),
            displayName: s(5),
            etag: s(6),
            description: s(7),
            oauth2ClientId: s(8),
            disabled: { type: 'bool', id: 9 },
          },
        },
        CreateServiceAccountRequest: {
          fields: {
            accountId: s(1),
            serviceAccount: { type: 'ServiceAccount', id: 2 },
          },
        },
        Expr: {
          fields: {
            expression: s(1),
            title: s(2),
            description: s(3),
            location: s(4),
          },
        },
        Binding: {
          fields: {
            role: s(1),
            members: { type: 'string', id: 2, rule: 'repeated' },
            condition: { type: 'Expr', id: 3 },
          },
        },
        AuditLogConfig: {
          fields: {
            logType: s(1),
            exemptedMembers: { type: 'string', id: 2, rule: 'repeated' },
          },
        },
        AuditConfig: {
          fields: {
            service: s(1),
            auditLogConfigs: {
              type: 'AuditLogConfig',
              id: 2,
              rule: 'repeated',
            },
          },
        },
        Policy: {
          fields: {
            version: { type: 'int32', id: 1 },
            bindings: { type: 'Binding', id: 2, rule: 'repeated' },
            auditConfigs: { type: 'AuditConfig', id: 3, rule: 'repeated' },
            etag: { type: 'bytes', id: 4 },
          },
        },
        SetIamPolicyRequest: {
          fields: { policy: { type: 'Policy', id: 1 }, updateMask: s(2) },
        },
        GetIamPolicyRequest: {
          fields: { options: { type: 'GetPolicyOptions', id: 1 } },
        },
        GetPolicyOptions: {
          fields: { requestedPolicyVersion: { type: 'int32', id: 1 } },
        },
        Connection: {
          fields: {
            network: s(1),
            reservedPeeringRanges: { type: 'string', id: 2, rule: 'repeated' },
            peering: s(3),
            service: s(4),
          },
        },
        DeleteConnectionRequest: { fields: { consumerNetwork: s(1) } },
      },
    },
  },
};
