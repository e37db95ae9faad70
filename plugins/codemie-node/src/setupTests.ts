/*
 * Every test of this package that talks to Google through GoogleClients has its requests
 * validated before serialization (see gcp/__testUtils__/requestValidation.ts); a request with an
 * unknown field fails the call, and the test file, even if the code under test swallowed it.
 */
import { requestValidation } from './gcp/__testUtils__/requestValidation';

jest.mock('./gcp/GoogleClients', () => {
  const actual = jest.requireActual('./gcp/GoogleClients');
  const { installRequestValidation } = jest.requireActual(
    './gcp/__testUtils__/requestValidation',
  );
  installRequestValidation(actual.GoogleClients);
  return actual;
});

afterAll(() => {
  if (requestValidation.failures.length > 0) {
    throw new Error(requestValidation.failures.map(f => f.message).join('\n'));
  }
});
