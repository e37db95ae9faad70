/**
 * Test utilities of the CodeMie backend packages: Google clients for the GCP sandbox and the
 * request validation every package's tests install. Never imported by production code.
 *
 * @packageDocumentation
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { GoogleClients } from '../gcp/GoogleClients';
import { googleClientsServiceRef } from '../gcp/googleClientsServiceRef';

export {
  installRequestValidation,
  requestValidation,
} from '../gcp/__testUtils__/requestValidation';

/**
 * Google clients that talk to a listening `GcpSandbox` (it intercepts `fetch`), with a token the
 * sandbox accepts. Tests build clients this way; production gets them from
 * `googleClientsServiceRef`.
 *
 * @internal
 */
export function sandboxGoogleClients(
  accessToken = 'sandbox-access-token',
): GoogleClients {
  return GoogleClients.fromAccessToken(accessToken, 'rest');
}

/**
 * A `googleClientsServiceRef` factory for test backends: {@link sandboxGoogleClients}.
 *
 * @internal
 */
export const sandboxGoogleClientsFactory = createServiceFactory({
  service: googleClientsServiceRef,
  deps: {},
  factory: () => sandboxGoogleClients(),
});
