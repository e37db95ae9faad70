import { http, HttpResponse, type HttpHandler } from 'msw';

const TOKEN_URL = 'https://oauth2.googleapis.com/token';

/**
 * Google's OAuth 2.0 token endpoint, for Application Default Credentials of type
 * `authorized_user` (what `gcloud auth application-default login` writes): a refresh token is
 * exchanged for a short-lived access token (https://developers.google.com/identity/protocols/oauth2/native-app#offline,
 * "Refreshing an access token"). The tokens it issues are the only ones the emulated APIs accept
 * once a test asked for credentials, so a client that sends none, or a made-up one, gets 401.
 *
 * @public
 */
export class OAuthEmulation {
  private readonly refreshTokens = new Map<string, string>();
  private issued = 0;

  constructor(private readonly accept: (token: string) => void) {}

  /**
   * Credentials for a `GOOGLE_APPLICATION_CREDENTIALS` file (`type: authorized_user`), as
   * `gcloud auth application-default login` writes them.
   */
  authorizedUser(account = 'developer@example.com'): Record<string, string> {
    const refreshToken = `1//sandbox-refresh-${this.refreshTokens.size + 1}`;
    this.refreshTokens.set(refreshToken, account);
    return {
      type: 'authorized_user',
      client_id: 'sandbox-client.apps.googleusercontent.com',
      client_secret: 'sandbox-client-secret',
      refresh_token: refreshToken,
    };
  }

  /** The msw handler of Google's OAuth 2.0 token endpoint. */
  handler(): HttpHandler {
    return http.post(TOKEN_URL, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      const grant = form.get('grant_type');
      const refreshToken = form.get('refresh_token') ?? '';
      let status = 200;
      let body: Record<string, unknown>;
      if (grant !== 'refresh_token') {
        status = 400;
        body = {
          error: 'unsupported_grant_type',
          error_description: `Invalid grant_type: ${grant}`,
        };
      } else if (!this.refreshTokens.has(refreshToken)) {
        status = 400;
        body = { error: 'invalid_grant', error_description: 'Bad Request' };
      } else {
        this.issued += 1;
        const accessToken = `ya29.sandbox-${this.issued}`;
        this.accept(accessToken);
        body = {
          access_token: accessToken,
          expires_in: 3599,
          scope:
            form.get('scope') ??
            'https://www.googleapis.com/auth/cloud-platform',
          token_type: 'Bearer',
        };
      }
      return HttpResponse.json(body, { status });
    });
  }
}
