/*
 * Every test of this package that talks to Google through GoogleClients has its requests
 * validated before serialization (see @codemie-gcp/plugin-codemie-node/testUtils); a request
 * with an unknown field fails the call, and the test file, even if the code under test
 * swallowed it.
 */
import { requestValidation } from '@codemie-gcp/plugin-codemie-node/testUtils';

jest.mock('@codemie-gcp/plugin-codemie-node', () => {
  const actual = jest.requireActual('@codemie-gcp/plugin-codemie-node');
  const { installRequestValidation } = jest.requireActual(
    '@codemie-gcp/plugin-codemie-node/testUtils',
  );
  installRequestValidation(actual.GoogleClients);
  return actual;
});

afterAll(() => {
  if (requestValidation.failures.length > 0) {
    throw new Error(requestValidation.failures.map(f => f.message).join('\n'));
  }
});
