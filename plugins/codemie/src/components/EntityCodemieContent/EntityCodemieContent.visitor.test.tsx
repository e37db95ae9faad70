/*
 * (Everyone but the owners; EntityCodemieContent.owner.test.tsx has the owners.)
 *
 * The states of the CodeMie tab a newcomer meets in the local portal (and that the browser e2e
 * screenshots): sizing advice on generated sandbox history, each piece with its cost change, and
 * either Resize buttons that open the resize form pre-filled (for the environment's owners) or a
 * sentence saying who may resize (for everyone else).
 */
import { screen, within } from '@testing-library/react';
import {
  demoEntity,
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

  it('anyone else sees the same advice and cost, and who may resize it, without buttons', async () => {
    serve();
    await renderForEntity(<EntityCodemieContent chartWidth={500} />, {
      mayUpdate: false,
      config: { codemie: { frontend: { refreshIntervalSeconds: 0 } } },
    });
    const card = await screen.findByRole('region', { name: 'Sizing advice' });
    expect(card).toHaveTextContent('+$48.18/month');
    expect(within(card).queryByRole('button')).not.toBeInTheDocument();
    expect(await within(card).findByRole('note')).toHaveTextContent(
      `Only the owners of this environment (${demoEntity.spec!.owner}) may resize it`,
    );
  });
});
