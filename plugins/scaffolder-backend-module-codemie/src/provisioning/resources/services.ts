import { explainGoogleError } from '@codemie-gcp/plugin-codemie-node';
import {
  NO_CLIENT_RETRY,
  ResourceHandler,
  pollUntil,
  retrying,
} from '../ProvisionContext';

/** The project APIs a CodeMie environment needs. */
export const REQUIRED_SERVICES = [
  'container.googleapis.com',
  'compute.googleapis.com',
  'sqladmin.googleapis.com',
  'dns.googleapis.com',
  'servicenetworking.googleapis.com',
  'iap.googleapis.com',
  'secretmanager.googleapis.com',
  'iam.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'aiplatform.googleapis.com',
];

const STATE = ['STATE_UNSPECIFIED', 'DISABLED', 'ENABLED'];

/** Enables the missing APIs in one batch; an already enabled project makes no mutating call. */
export const projectServicesHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const project = ctx.plan.input.projectId;
    const client = ctx.google.serviceUsage();
    const what = `project APIs of ${project}`;
    const missing: string[] = [];
    try {
      for (const service of REQUIRED_SERVICES) {
        const [info] = await retrying(ctx, what, () =>
          client.getService(
            { name: `projects/${project}/services/${service}` },
            NO_CLIENT_RETRY,
          ),
        );
        const state =
          typeof info.state === 'number' ? STATE[info.state] : info.state;
        if (state !== 'ENABLED') missing.push(service);
      }
      if (missing.length > 0) {
        ctx.log(`${what}: enabling ${missing.join(', ')}`);
        const [operation] = await retrying(ctx, what, () =>
          client.batchEnableServices(
            { parent: `projects/${project}`, serviceIds: missing },
            NO_CLIENT_RETRY,
          ),
        );
        // Poll ourselves: the LRO helper's own backoff starts at several seconds.
        const done = await pollUntil(
          ctx,
          what,
          async () =>
            (
              await client.operationsClient.getOperation({
                name: operation.name!,
              } as any)
            )[0],
          op => op.done === true,
          () => 'enabling',
          { timeoutMillis: 20 * 60 * 1000 },
        );
        // A DONE operation can carry an error (e.g. billing not enabled, permission denied).
        if (done.error) {
          throw Object.assign(
            new Error(done.error.message ?? `code ${done.error.code}`),
            { code: done.error.code, details: done.error.details },
          );
        }
      } else {
        ctx.log(`${what}: all enabled`);
      }
    } catch (e) {
      throw new Error(explainGoogleError(what, e, project));
    }
    return { enabledServices: REQUIRED_SERVICES };
  },
  async remove() {
    // Other workloads in the project may use these APIs: destroy leaves them enabled.
    return 'absent';
  },
};
