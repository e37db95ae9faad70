/**
 * Test utilities of the CodeMie backend packages: Google clients for the GCP sandbox and the
 * request validation every package's tests install. Never imported by production code.
 *
 * @packageDocumentation
 */
import {
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
// The type by the package's name: it is the main entry point's API, which this entry point's
// signatures refer to rather than repeat. Type-only, so erased at run time: importing the main
// entry point at run time from here is circular (jest then fails in every package's setup).
import type { GoogleClients } from '@codemie-gcp/plugin-codemie-node';
import { GoogleClients as GoogleClientsImpl } from '../gcp/GoogleClients';
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
 * @public
 */
export function sandboxGoogleClients(
  accessToken = 'sandbox-access-token',
): GoogleClients {
  return GoogleClientsImpl.fromAccessToken(accessToken, 'rest');
}

/**
 * A `googleClientsServiceRef` factory for test backends: {@link sandboxGoogleClients}.
 *
 * @public
 */
export const sandboxGoogleClientsFactory: ServiceFactory<
  GoogleClients,
  'root',
  'singleton'
> = createServiceFactory({
  service: googleClientsServiceRef,
  deps: {},
  factory: () => sandboxGoogleClients(),
});
