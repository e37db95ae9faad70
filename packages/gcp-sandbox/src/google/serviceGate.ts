import { GoogleApiError } from './errors';
import type { SandboxState } from '../state';
import { projectNumber } from './context';

const TITLES: Record<string, string> = {
  'container.googleapis.com': 'Kubernetes Engine API',
  'compute.googleapis.com': 'Compute Engine API',
  'sqladmin.googleapis.com': 'Cloud SQL Admin API',
  'dns.googleapis.com': 'Cloud DNS API',
  'secretmanager.googleapis.com': 'Secret Manager API',
  'servicenetworking.googleapis.com': 'Service Networking API',
  'iam.googleapis.com': 'Identity and Access Management (IAM) API',
};

/** APIs that are on in every project (Google enables them by default or they are needed to enable others). */
const ALWAYS_ON = new Set([
  'serviceusage.googleapis.com',
  'cloudresourcemanager.googleapis.com',
]);

/**
 * Records project ids seen in request paths and, when `requireEnabled`, refuses calls to an API
 * that is not enabled in the project the way Google does: 403 PERMISSION_DENIED with an
 * `ErrorInfo` of reason `SERVICE_DISABLED`.
 */
export function serviceGate(state: SandboxState, requireEnabled: boolean) {
  return (
    _service: string,
    host: string,
    project: string | undefined,
  ): void => {
    if (!project) return;
    if (!/^\d+$/.test(project)) state.knownProjects.add(project);
    if (!requireEnabled || ALWAYS_ON.has(host)) return;
    const id = resolveProject(state, project);
    if (state.enabledServices.get(id)?.has(host)) return;
    const number = projectNumber(id);
    const title = TITLES[host] ?? host;
    throw new GoogleApiError({
      httpStatus: 403,
      status: 'PERMISSION_DENIED',
      withStatus: true,
      reason: 'accessNotConfigured',
      domain: 'usageLimits',
      message: `${title} has not been used in project ${number} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/${host}/overview?project=${number} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`,
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: { service: host, consumer: `projects/${number}` },
        },
      ],
    });
  };
}

/** The project id for an id or a project number the sandbox has seen. */
export function resolveProject(state: SandboxState, project: string): string {
  if (!/^\d+$/.test(project)) return project;
  for (const id of state.knownProjects)
    if (projectNumber(id) === project) return id;
  return project;
}
