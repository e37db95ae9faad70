import {
  API_SERVICE_ACCOUNT,
  LITELLM_SERVICE_ACCOUNT,
  PlannedResource,
} from '@codemie-gcp/plugin-codemie-common';
import {
  explainGoogleError,
  googleErrorFacts,
  isAlreadyExists,
  isNotFound,
  isTransient,
} from '@codemie-gcp/plugin-codemie-node';
import {
  NO_CLIENT_RETRY,
  ProvisionContext,
  ResourceHandler,
  retrying,
  retryingCreate,
} from '../ProvisionContext';

/**
 * Roles CodeMie's Google service account needs (CodeMie GCP docs, https://codemie-ai.github.io/docs, read 2026-11): Vertex AI
 * for models, Cloud Storage for files, KMS for encryption.
 */
export const CODEMIE_SERVICE_ACCOUNT_ROLES = [
  'roles/aiplatform.user',
  'roles/storage.admin',
  'roles/cloudkms.cryptoKeyEncrypterDecrypter',
];

/**
 * Roles of the GKE nodes' own service account: the least-privilege set Google recommends instead
 * of the Compute Engine default account
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa),
 * plus pulling images from Artifact Registry.
 */
export const NODE_SERVICE_ACCOUNT_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/artifactregistry.reader',
];

/** Roles bastion members need: open an IAP tunnel and log in with OS Login. */
export const BASTION_MEMBER_ROLES = [
  'roles/iap.tunnelResourceAccessor',
  'roles/compute.osLogin',
];

/**
 * Kubernetes service accounts (namespace/name) that act as CodeMie's Google service account
 * through Workload Identity: the ones codemie:deploy creates with the matching annotation.
 */
export const WORKLOAD_IDENTITY_KUBERNETES_SERVICE_ACCOUNTS = [
  API_SERVICE_ACCOUNT,
  LITELLM_SERVICE_ACCOUNT,
].map(sa => `${sa.namespace}/${sa.name}`);

/** The environment's Google service account email. */
export function serviceAccountEmail(ctx: ProvisionContext): string {
  return accountEmail(ctx, ctx.plan.names.serviceAccount);
}

/** The email of service account `accountId` in the environment's project. */
export function accountEmail(ctx: ProvisionContext, accountId: string): string {
  return `${accountId}@${ctx.plan.input.projectId}.iam.gserviceaccount.com`;
}

/** The roles a `project-iam` resource grants its service account. */
function rolesOf(resource: PlannedResource): string[] {
  return resource.id === 'node-iam'
    ? NODE_SERVICE_ACCOUNT_ROLES
    : CODEMIE_SERVICE_ACCOUNT_ROLES;
}

type Policy = {
  bindings?: Array<{ role?: string | null; members?: string[] | null }> | null;
  etag?: any;
  version?: any;
};

/** Adds `members` to `role` in `policy`; returns true when something changed. */
export function addBindings(
  policy: Policy,
  role: string,
  members: string[],
): boolean {
  policy.bindings = policy.bindings ?? [];
  let binding = policy.bindings.find(
    b => b.role === role && !(b as any).condition,
  );
  if (!binding) {
    binding = { role, members: [] };
    policy.bindings.push(binding);
  }
  const current = new Set(binding.members ?? []);
  const missing = members.filter(m => !current.has(m));
  binding.members = [...(binding.members ?? []), ...missing];
  return missing.length > 0;
}

/**
 * Removes `members` from the unconditional binding of `role` (conditional bindings are someone
 * else's and stay); returns true when something changed.
 */
export function removeBindings(
  policy: Policy,
  role: string,
  members: string[],
): boolean {
  let changed = false;
  for (const binding of policy.bindings ?? []) {
    if (binding.role !== role || (binding as any).condition) continue;
    const before = binding.members?.length ?? 0;
    binding.members = (binding.members ?? []).filter(m => !members.includes(m));
    changed ||= binding.members.length !== before;
  }
  policy.bindings = (policy.bindings ?? []).filter(
    b => (b.members ?? []).length > 0,
  );
  return changed;
}

/**
 * IAM policy version 3: the only version that carries conditional role bindings. A policy read
 * as version 1 shows conditional roles renamed and cannot be written back
 * (https://cloud.google.com/iam/docs/policies#versions), so policies are read and written as 3.
 */
export const IAM_POLICY_VERSION = 3;

/**
 * Retry predicate for a policy write that names a service account created moments ago: IAM is
 * eventually consistent, and refuses the new member with 400 INVALID_ARGUMENT for a few seconds
 * (https://cloud.google.com/iam/docs/troubleshooting-access#service-account-not-found). Read from
 * the status and the context (we add our own new account), never from the message.
 */
function transientOrPropagating(e: unknown): boolean {
  const f = googleErrorFacts(e);
  return isTransient(e) || f.grpc === 3 || f.http === 400;
}

/** The last queued project-policy write per project id. */
const policyWriters = new Map<string, Promise<void>>();

async function updateProjectPolicyNow(
  ctx: ProvisionContext,
  what: string,
  change: (policy: Policy) => boolean,
  options: { namesNewServiceAccount?: boolean },
): Promise<boolean> {
  const resource = `projects/${ctx.plan.input.projectId}`;
  const projects = ctx.google.projects();
  try {
    return await retrying(
      ctx,
      what,
      async () => {
        const [policy] = await projects.getIamPolicy(
          {
            resource,
            options: { requestedPolicyVersion: IAM_POLICY_VERSION },
          },
          NO_CLIENT_RETRY,
        );
        if (!change(policy as Policy)) return false;
        await projects.setIamPolicy(
          {
            resource,
            policy: { ...policy, version: IAM_POLICY_VERSION },
          },
          NO_CLIENT_RETRY,
        );
        return true;
      },
      options.namesNewServiceAccount ? transientOrPropagating : undefined,
    );
  } catch (e) {
    throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
  }
}

/**
 * Read-modify-write of the project's IAM policy, version 3, keeping the etag so a concurrent
 * writer makes ours fail with 409 ABORTED; the whole cycle is then retried.
 */
async function updateProjectPolicy(
  ctx: ProvisionContext,
  what: string,
  change: (policy: Policy) => boolean,
  options: { namesNewServiceAccount?: boolean } = {},
): Promise<boolean> {
  // Writers in this process take turns per project (the nodes' and CodeMie's roles are granted
  // in parallel branches of the graph); other writers are caught by the etag.
  const project = ctx.plan.input.projectId;
  const previous = policyWriters.get(project) ?? Promise.resolve();
  const turn = previous.then(() =>
    updateProjectPolicyNow(ctx, what, change, options),
  );
  const settled = turn.then(
    () => undefined,
    () => undefined,
  );
  policyWriters.set(project, settled);
  settled.then(() => {
    if (policyWriters.get(project) === settled) policyWriters.delete(project);
  });
  return turn;
}

export const serviceAccountHandler: ResourceHandler = {
  async ensure(resource, ctx) {
    const email = accountEmail(ctx, resource.name);
    const what = `service account ${email}`;
    const accounts = ctx.google.iam().projects.serviceAccounts;
    try {
      await retrying(ctx, what, () =>
        accounts.get({
          name: `projects/${ctx.plan.input.projectId}/serviceAccounts/${email}`,
        }),
      );
      return { googleServiceAccount: email };
    } catch (e) {
      if (!isNotFound(e))
        throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
    }
    ctx.log(`${what}: creating (no keys: used through Workload Identity only)`);
    try {
      await retryingCreate(ctx, what, () =>
        accounts.create({
          name: `projects/${ctx.plan.input.projectId}`,
          requestBody: {
            accountId: resource.name,
            serviceAccount: {
              displayName:
                resource.id === 'node-service-account'
                  ? `CodeMie ${ctx.plan.input.name} GKE nodes`
                  : `CodeMie ${ctx.plan.input.name}`,
              description: `CodeMie environment ${ctx.plan.input.name} (codemie-environment=${ctx.plan.input.name}), managed by Backstage`,
            },
          },
        }),
      );
    } catch (e) {
      if (!isAlreadyExists(e))
        throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
    }
    return { googleServiceAccount: email };
  },
  async remove(resource, ctx) {
    const email = accountEmail(ctx, resource.name);
    try {
      await retrying(ctx, `deleting service account ${email}`, () =>
        ctx.google.iam().projects.serviceAccounts.delete({
          name: `projects/${ctx.plan.input.projectId}/serviceAccounts/${email}`,
        }),
      );
      return 'deleted';
    } catch (e) {
      if (isNotFound(e)) return 'absent';
      throw new Error(
        explainGoogleError(
          `deleting service account ${email}`,
          e,
          ctx.plan.input.projectId,
        ),
      );
    }
  },
};

export const projectIamHandler: ResourceHandler = {
  async ensure(resource, ctx) {
    const email = accountEmail(ctx, resource.name);
    const member = `serviceAccount:${email}`;
    const roles = rolesOf(resource);
    const changed = await updateProjectPolicy(
      ctx,
      `roles of ${email}`,
      policy =>
        roles.map(role => addBindings(policy, role, [member])).some(Boolean),
      { namesNewServiceAccount: true },
    );
    ctx.log(
      `roles of ${email}: ${changed ? 'granted' : 'already granted'} ${roles.join(', ')}`,
    );
    return { roles };
  },
  // The account is the environment's own: removing its bindings removes only what we added.
  async remove(resource, ctx) {
    const email = accountEmail(ctx, resource.name);
    const member = `serviceAccount:${email}`;
    const changed = await updateProjectPolicy(
      ctx,
      `removing roles of ${email}`,
      policy =>
        rolesOf(resource)
          .map(role => removeBindings(policy, role, [member]))
          .some(Boolean),
    );
    return changed ? 'deleted' : 'absent';
  },
};

export const workloadIdentityHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const email = serviceAccountEmail(ctx);
    const what = `Workload Identity binding of ${email}`;
    const resource = `projects/${ctx.plan.input.projectId}/serviceAccounts/${email}`;
    const members = WORKLOAD_IDENTITY_KUBERNETES_SERVICE_ACCOUNTS.map(
      ksa => `serviceAccount:${ctx.plan.input.projectId}.svc.id.goog[${ksa}]`,
    );
    const accounts = ctx.google.iam().projects.serviceAccounts;
    try {
      await retrying(
        ctx,
        what,
        async () => {
          const { data: policy } = await accounts.getIamPolicy({
            resource,
            'options.requestedPolicyVersion': IAM_POLICY_VERSION,
          });
          if (
            addBindings(
              policy as Policy,
              'roles/iam.workloadIdentityUser',
              members,
            )
          ) {
            await accounts.setIamPolicy({
              resource,
              requestBody: {
                policy: { ...policy, version: IAM_POLICY_VERSION },
              },
            });
            ctx.log(`${what}: ${members.join(', ')} may act as ${email}`);
          }
        },
        // The Workload Identity pool exists only once the cluster does: IAM may still refuse it.
        transientOrPropagating,
      );
    } catch (e) {
      throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
    }
    return {
      kubernetesServiceAccounts: WORKLOAD_IDENTITY_KUBERNETES_SERVICE_ACCOUNTS,
    };
  },
  async remove() {
    return 'absent'; // goes with the service account
  },
};

/** `projects/<p>/zones/<z>/instances/<bastion>` pieces of the bastion. */
function bastionIds(ctx: ProvisionContext) {
  return {
    project: ctx.plan.input.projectId,
    zone: ctx.placement.zones[0],
    resource: ctx.plan.names.bastion,
  };
}

/**
 * One read-modify-write of a single resource's policy (version 3, etag kept, whole cycle
 * retried on conflict).
 */
async function updateResourcePolicy(
  ctx: ProvisionContext,
  what: string,
  read: () => Promise<Policy>,
  write: (policy: Policy) => Promise<unknown>,
  change: (policy: Policy) => boolean,
): Promise<boolean> {
  try {
    return await retrying(ctx, what, async () => {
      const policy = await read();
      if (!change(policy)) return false;
      // Only the policy's own fields go back (a client's message object carries more).
      await write({
        bindings: policy.bindings ?? [],
        ...(policy.etag ? { etag: policy.etag } : {}),
        version: IAM_POLICY_VERSION,
      });
      return true;
    });
  } catch (e) {
    if (isNotFound(e)) throw e; // the caller decides what a missing resource means
    throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
  }
}

/** The bastion's IAP TCP-forwarding tunnel resource (IAP API). */
function tunnelResource(ctx: ProvisionContext): string {
  const { project, zone, resource } = bastionIds(ctx);
  return `https://iap.googleapis.com/v1/projects/${project}/iap_tunnel/zones/${zone}/instances/${resource}`;
}

/**
 * Bastion members may open an IAP tunnel to the bastion and log in to it — on those two
 * resources only, never project-wide: roles/iap.tunnelResourceAccessor on the bastion's IAP
 * tunnel resource (https://cloud.google.com/iap/docs/using-tcp-forwarding#grant-permission)
 * and roles/compute.osLogin on the VM (https://cloud.google.com/compute/docs/oslogin/set-up-oslogin#configure_users).
 * Both policies belong to the bastion, so destroy removes exactly what was added, and the
 * policies go with the VM.
 */
export const bastionAccessHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const members = ctx.plan.input.bastionMembers;
    const changed = await applyBastionAccess(ctx, (policy, role) =>
      addBindings(policy, role, members),
    );
    ctx.log(
      `bastion access: ${changed ? 'granted' : 'already granted'} ${BASTION_MEMBER_ROLES.join(', ')} to ${members.join(', ')} on ${ctx.plan.names.bastion} only`,
    );
    return { bastionMembers: members };
  },
  async remove(_resource, ctx) {
    const members = ctx.plan.input.bastionMembers;
    // The bastion is in one zone of the region: its policies are where it is.
    for (const zone of ctx.placement.zones) {
      const inZone = { ...ctx, placement: { ...ctx.placement, zones: [zone] } };
      try {
        const changed = await applyBastionAccess(inZone, (policy, role) =>
          removeBindings(policy, role, members),
        );
        return changed ? 'deleted' : 'absent';
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return 'absent'; // no bastion: its policies went with it
  },
};

/** Applies `change` to the tunnel resource's and the VM's policy; true if either changed. */
async function applyBastionAccess(
  ctx: ProvisionContext,
  change: (policy: Policy, role: string) => boolean,
): Promise<boolean> {
  const [tunnelRole, osLoginRole] = BASTION_MEMBER_ROLES;
  const ids = bastionIds(ctx);
  const instances = ctx.google.instances();
  const onTunnel = await updateResourcePolicy(
    ctx,
    `IAP tunnel access to ${ids.resource}`,
    () =>
      ctx.google.request<Policy>({
        url: `${tunnelResource(ctx)}:getIamPolicy`,
        method: 'POST',
        data: { options: { requestedPolicyVersion: IAM_POLICY_VERSION } },
      }),
    policy =>
      ctx.google.request({
        url: `${tunnelResource(ctx)}:setIamPolicy`,
        method: 'POST',
        data: { policy },
      }),
    policy => change(policy, tunnelRole),
  );
  const onVm = await updateResourcePolicy(
    ctx,
    `OS Login access to ${ids.resource}`,
    async () =>
      (
        await instances.getIamPolicy(
          { ...ids, optionsRequestedPolicyVersion: IAM_POLICY_VERSION },
          NO_CLIENT_RETRY,
        )
      )[0] as Policy,
    policy =>
      instances.setIamPolicy(
        {
          ...ids,
          zoneSetPolicyRequestResource: { policy: policy as any },
        },
        NO_CLIENT_RETRY,
      ),
    policy => change(policy, osLoginRole),
  );
  return onTunnel || onVm;
}
