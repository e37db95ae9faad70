import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  demoEntity,
  demoHistory,
  demoStatus,
} from '../../__fixtures__/demoEnvironment';
import {
  ENTITY_URL,
  historyHandler,
  renderForEntity,
  setupCodemieServer,
  statusHandler,
} from '../../__testUtils__/testing';
import { EntityCodemieContent } from './EntityCodemieContent';

// The tab's honest states: loading, not applicable, and each error the API answers.
// Under a loaded CI machine: generous limits (passing runs take a few seconds).
jest.setTimeout(60_000);

describe('EntityCodemieContent states', () => {
  const server = setupCodemieServer();

  function serve(...responses: Parameters<typeof statusHandler>) {
    const status = statusHandler(...responses);
    // A day of samples keeps the charts (and the suite) light; the window asked is recorded.
    const history = historyHandler(demoHistory('24h'));
    server.use(status.handler, history.handler);
    return { status, history };
  }

  it('shows skeletons while the status loads', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>(resolve => {
      release = resolve;
    });
    server.use(
      http.get(`${ENTITY_URL}/status`, async () => {
        await held;
        return HttpResponse.json(demoStatus);
      }),
      historyHandler(demoHistory('24h')).handler,
    );
    await renderForEntity(<EntityCodemieContent chartWidth={500} />);
    expect(
      screen.getByRole('progressbar', { name: 'Loading CodeMie status' }),
    ).toHaveAttribute('aria-busy', 'true');
    expect(screen.queryByLabelText('CodeMie components')).toBeNull();
    release();
    expect(
      await screen.findByLabelText('CodeMie components'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('progressbar', { name: 'Loading CodeMie status' }),
    ).toBeNull();
  });

  it('names the missing annotations and calls no API', async () => {
    const { status } = serve(demoStatus);
    await renderForEntity(<EntityCodemieContent />, {
      entity: {
        ...demoEntity,
        metadata: {
          name: 'half-done',
          annotations: { 'codemie.ai/gcp-project': 'p' },
        },
      },
    });
    expect(screen.getByText(/Missing Annotation/i)).toBeInTheDocument();
    expect(
      screen.getAllByText(/codemie\.ai\/gke-cluster/).length,
    ).toBeGreaterThan(0);
    expect(status.requests).toHaveLength(0);
  });

  it('refuses entities that are not CodeMie environments', async () => {
    serve(demoStatus);
    await renderForEntity(<EntityCodemieContent />, {
      entity: { ...demoEntity, kind: 'Component', spec: { type: 'service' } },
    });
    expect(screen.getByText('Not a CodeMie environment')).toBeInTheDocument();
  });

  it.each([
    [
      502,
      'ServiceUnavailableError',
      'Error: Cluster unreachable',
      'Google Cloud credentials missing: no application default credentials',
    ],
    [
      403,
      'NotAllowedError',
      'Warning: Not allowed',
      'Only members of group:default/platform may read this environment',
    ],
    [401, 'AuthenticationError', 'Warning: Sign-in required', 'Missing token'],
    [
      404,
      'NotFoundError',
      'Warning: Environment not found',
      'No entity resource:default/codemie-demo',
    ],
    [
      400,
      'InputError',
      'Not a CodeMie environment',
      'Entity lacks annotation codemie.ai/cloudsql-instance',
    ],
  ])(
    'shows HTTP %s honestly with the API message',
    async (code, name, title, message) => {
      serve({ status: code, name, message });
      await renderForEntity(<EntityCodemieContent />);
      expect(await screen.findByText(title)).toBeInTheDocument();
      expect(
        screen.getByText(
          (_, el) => el?.tagName === 'P' && el.textContent!.includes(message),
        ),
      ).toBeVisible();
      expect(screen.queryByLabelText('CodeMie components')).toBeNull();
    },
  );
});
