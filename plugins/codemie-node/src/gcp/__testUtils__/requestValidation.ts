import {
  DISCOVERY_DOCUMENTS,
  RequestValidationLog,
  validateRestCall,
  validatingGaxClient,
  validatingGoogleapisClient,
} from '@codemie-gcp/gcp-sandbox';

/**
 * Every request validated in this test file (see setupTests.ts).
 *
 * @public
 */
export const requestValidation = new RequestValidationLog();

/**
 * Makes every client `GoogleClients` builds validate its requests before serialization: gax
 * clients against their own proto descriptors, IAM and plain REST calls against the sandbox's
 * copies of the discovery documents. Cloud DNS's hand-made client has neither; the sandbox checks
 * its bodies against the DNS API reference.
 *
 * @public
 */
export function installRequestValidation(GoogleClientsClass: {
  prototype: object;
}): void {
  const proto = GoogleClientsClass.prototype as any;
  if (proto.__requestValidation) return;
  proto.__requestValidation = true;
  const memo = proto.memo;
  proto.memo = function memoValidated(key: string, create: () => object) {
    return memo.call(this, key, () => {
      const client = create();
      if (key === 'iam')
        return validatingGoogleapisClient(
          client,
          DISCOVERY_DOCUMENTS.iam,
          requestValidation,
        );
      if (key.startsWith('dns:')) return client;
      return validatingGaxClient(client, requestValidation);
    });
  };
  const request = proto.request;
  proto.request = function requestValidated(options: {
    url: string;
    method?: string;
    data?: unknown;
  }) {
    validateRestCall(options, requestValidation);
    return request.call(this, options);
  };
}
