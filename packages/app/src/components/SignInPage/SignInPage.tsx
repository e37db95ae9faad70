import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  SignInPageProps,
  configApiRef,
  googleAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';

const googleProvider: SignInProviderConfig = {
  id: 'google-auth-provider',
  title: 'Google',
  message: 'Sign in with your Google account',
  apiRef: googleAuthApiRef,
};

/**
 * Guest sign-in for the local portal, whose `auth.environment` is `development` (the backend's
 * guest provider refuses anywhere else); Google sign-in otherwise (app-config.production.yaml).
 */
export function CodemieSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const development =
    (config.getOptionalString('auth.environment') ?? 'development') ===
    'development';
  return (
    <SignInPage
      {...props}
      auto
      providers={development ? ['guest'] : [googleProvider]}
    />
  );
}
