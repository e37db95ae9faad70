/**
 * Test utilities of the CodeMie backend packages: Google clients for the GCP sandbox and the
 * request validation every package's tests install. Never imported by production code.
 *
 * @packageDocumentation
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
// By the package's name, not a relative path: the clients are the main entry point's API, which
// this entry point's signatures refer to rather than repeat.
import {
  GoogleClients,
  googleClientsServiceRef,
} from '@codemie-gcp/plugin-codemie-node';

export {
  installRequestValidation,
  requestValidation,
} from '../gcp/__testUtils__/requestValidation';

/**
 * Google clients that talk to a listening `GcpSandbox` (it intercepts `fetch`), with a token the
 * sandbox accepts. Tests build clients this way; production gets them from
 * `googleClientsServiceRef`.
 *
 * @public
 */
export function sandboxGoogleClients(
  accessToken = 'sandbox-access-token',
): GoogleClients {
  return GoogleClients.fromAccessToken(accessToken, 'rest');
}

/**
 * A `googleClientsServiceRef` factory for test backends: {@link sandboxGoogleClients}.
 *
 * @public
 */
export const sandboxGoogleClientsFactory = createServiceFactory({
  service: googleClientsServiceRef,
  deps: {},
  factory: () => sandboxGoogleClients(),
});
