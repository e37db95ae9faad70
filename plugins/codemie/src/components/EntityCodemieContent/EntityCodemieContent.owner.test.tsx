/*
 * (Owners; EntityCodemieContent.visitor.test.tsx has everyone else: permission answers are
 * cached per page, as in the app.)
 *
 * The states of the CodeMie tab a newcomer meets in the local portal (and that the browser e2e
 * screenshots): sizing advice on generated sandbox history, each piece with its cost change, and
 * either Resize buttons that open the resize form pre-filled (for the environment's owners) or a
 * sentence saying who may resize (for everyone else).
 */
import { screen, within } from '@testing-library/react';
import {
  demoHistory,
  sandboxAdviceStatus,
} from '../../__fixtures__/demoEnvironment';
import {
  historyHandler,
  renderForEntity,
  setupCodemieServer,
  statusHandler,
} from '../../__testUtils__/testing';
import { EntityCodemieContent } from './EntityCodemieContent';

jest.setTimeout(60_000);

describe('EntityCodemieContent: advice to act on', () => {
  const server = setupCodemieServer();
  const serve = () => {
    server.use(
      statusHandler(sandboxAdviceStatus).handler,
      historyHandler({ ...demoHistory('24h'), origin: 'sandbox' }).handler,
    );
  };

  it('its owners get a Resize button per piece of advice, opening the form pre-filled for this environment', async () => {
    serve();
    await renderForEntity(<EntityCodemieContent chartWidth={500} />, {
      mayUpdate: true,
      config: { codemie: { frontend: { refreshIntervalSeconds: 0 } } },
    });
    const card = await screen.findByRole('region', { name: 'Sizing advice' });
    expect(card).toHaveTextContent('3 changes, net +$64.04/month');
    const toMedium = within(card).getByRole('button', {
      name: /^Resize to carry out: CodeMie API memory above 90%/,
    });
    // Priced as the whole resize: every component goes to medium, not only the API.
    expect(toMedium).toHaveTextContent('Resize: medium tier (+$442.78/month)');
    const url = new URL(toMedium.getAttribute('href')!, 'http://portal.test');
    expect(url.pathname).toBe(
      '/create/templates/default/resize-codemie-environment',
    );
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      environment: 'resource:default/codemie-demo',
      tier: 'medium',
    });
    // A custom resize carries its inputs.
    const disk = within(card).getByRole('button', {
      name: /Elasticsearch disk 87% full/,
    });
    expect(
      JSON.parse(
        new URL(
          disk.getAttribute('href')!,
          'http://portal.test',
        ).searchParams.get('formData')!,
      ),
    ).toMatchObject({ tier: 'custom', sizing: { vectorDatasourceGiB: 70 } });
    // Advice no input change carries out has no button; the card still has the generic one.
    expect(
      within(card).getAllByRole('button', { name: /^Resize to carry out/ }),
    ).toHaveLength(2);
    expect(
      within(card).getByRole('button', { name: 'Resize…' }),
    ).toBeInTheDocument();
    expect(within(card).queryByRole('note')).not.toBeInTheDocument();
    // Both the advice and the charts say they stand on sandbox data.
    expect(within(card).getByLabelText(/^Sandbox data/)).toBeInTheDocument();
    const usage = screen.getByRole('region', { name: 'Usage history' });
    expect(
      await within(usage).findByLabelText(/^Sandbox data/),
    ).toBeInTheDocument();
  });
});
