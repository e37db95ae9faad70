import { screen } from '@testing-library/react';
import {
  configApiRef,
  discoveryApiRef,
  googleAuthApiRef,
} from '@backstage/core-plugin-api';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { CodemieSignInPage } from './SignInPage';

// The first render loads Backstage's app and Material UI, seconds on a busy CI machine.
jest.setTimeout(30_000);

async function renderSignIn(config: object) {
  const data = {
    app: { title: 'CodeMie Portal' },
    ...config,
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [configApiRef, mockApis.config({ data })],
        [discoveryApiRef, mockApis.discovery()],
        // Not signed in to Google yet.
        [
          googleAuthApiRef,
          {
            getBackstageIdentity: async () => undefined,
            getProfile: async () => undefined,
          },
        ],
      ]}
    >
      <CodemieSignInPage onSignInSuccess={() => {}} />
    </TestApiProvider>,
  );
}

describe('CodemieSignInPage', () => {
  // The page remembers the last provider used (auto sign-in); each test starts afresh.
  beforeEach(() => localStorage.clear());

  it('offers guest sign-in in the local portal, and not Google', async () => {
    await renderSignIn({ auth: { environment: 'development' } });
    expect(await screen.findByText('Guest')).toBeInTheDocument();
    expect(screen.queryByText('Google')).not.toBeInTheDocument();
  });

  it('offers guest sign-in when no auth environment is configured (Backstage defaults to development)', async () => {
    await renderSignIn({});
    expect(await screen.findByText('Guest')).toBeInTheDocument();
  });

  it('offers Google sign-in in production, and not guest', async () => {
    await renderSignIn({ auth: { environment: 'production' } });
    expect(await screen.findByText('Google')).toBeInTheDocument();
    expect(
      screen.getByText('Sign in with your Google account'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });
});
