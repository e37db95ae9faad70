import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import {
  demoHistory,
  demoStatus,
  demoStatusWithoutMetrics,
  healthyStatus,
} from '../../__fixtures__/demoEnvironment';
import { http, HttpResponse } from 'msw';
import {
  ENTITY_URL,
  historyHandler,
  renderForEntity,
  setupCodemieServer,
  statusHandler,
} from '../../__testUtils__/testing';
import { demoPlanPreview } from '../../__fixtures__/demoPlanPreview';
import { EntityCodemieContent } from './EntityCodemieContent';

const regionOrder = () =>
  Array.from(document.querySelectorAll('section[aria-label]')).map(s =>
    s.getAttribute('aria-label'),
  );

// Full pages under a loaded CI machine: generous limits (passing runs take a few seconds).
jest.setTimeout(60_000);

describe('EntityCodemieContent', () => {
  const server = setupCodemieServer();

  function serve(...responses: Parameters<typeof statusHandler>) {
    const status = statusHandler(...responses);
    // A day of samples keeps the charts (and the suite) light; the window asked is recorded.
    const history = historyHandler(demoHistory('24h'));
    server.use(status.handler, history.handler);
    return { status, history };
  }

  it('shows the whole status with the problems first', async () => {
    serve(demoStatus);
    await renderForEntity(<EntityCodemieContent chartWidth={500} />);

    const verdict = await screen.findByLabelText('Environment verdict');
    expect(
      within(verdict).getByRole('img', { name: 'codemie-demo health: error' }),
    ).toBeInTheDocument();
    expect(verdict).toHaveTextContent('9 of 12 components healthy');
    expect(
      within(verdict).getByRole('list', { name: 'Top reasons' }).children,
    ).toHaveLength(3);
    expect(verdict).toHaveTextContent('auto-refresh every 30 s');

    // Errors exist: what is wrong and what to change comes before the table.
    expect(regionOrder()).toEqual([
      'Environment verdict',
      'Detected problems',
      'Sizing advice',
      'Cluster summary',
      'Usage history',
    ]);
    const problems = screen.getByLabelText('Detected problems');
    const tableTop = screen.getByLabelText('CodeMie components');
    expect(
      problems.compareDocumentPosition(tableTop) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(within(problems).getAllByText(/^Fix: ?/)).toHaveLength(2);

    expect(
      tableTop.querySelectorAll('tbody > tr[data-component]'),
    ).toHaveLength(12);
    expect(screen.getByLabelText('Sizing advice')).toHaveTextContent(
      '3 changes, net +$8.55/month',
    );
    expect(
      await screen.findByLabelText(
        /^CPU use of all components over 7d, latest /,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Info: No metrics yet')).not.toBeInTheDocument();
  });

  it('shows the bill line by line, the same lines as the sizing preview, with the min–max range', async () => {
    serve({
      ...demoStatus,
      monthlyCostUsd: demoPlanPreview.monthlyCostUsd,
      cost: {
        totalMonthlyUsd: demoPlanPreview.monthlyCostUsd,
        rangeUsd: demoPlanPreview.monthlyCostRangeUsd,
        nodes: {
          min: demoPlanPreview.nodePool.minNodes,
          max: demoPlanPreview.nodePool.maxNodes,
        },
        lines: demoPlanPreview.costLines,
        pricesDate: demoPlanPreview.pricesDate,
      },
    });
    await renderForEntity(<EntityCodemieContent chartWidth={500} />);
    const cost = await screen.findByRole('table', { name: 'Monthly cost' });
    const items = Array.from(cost.querySelectorAll('tbody th')).map(c =>
      c.textContent!.replace('(estimate)', ''),
    );
    expect(items.slice(0, demoPlanPreview.costLines.length)).toEqual(
      demoPlanPreview.costLines.map(l => l.item),
    );
    expect(
      within(cost).getByRole('row', {
        name: /autoscaling maximum \(12 nodes\)/,
      }),
    ).toHaveTextContent('$1,703.87');
  });

  it('puts warnings-only problems after the table', async () => {
    serve({
      ...demoStatus,
      problems: demoStatus.problems.filter(p => p.severity === 'warning'),
    });
    await renderForEntity(<EntityCodemieContent chartWidth={500} />);
    await screen.findByLabelText('Detected problems');
    const problems = screen.getByLabelText('Detected problems');
    const table = screen.getByLabelText('CodeMie components');
    expect(
      problems.compareDocumentPosition(table) &
        Node.DOCUMENT_POSITION_PRECEDING,
    ).toBeTruthy();
  });

  it('says when there are no metrics yet', async () => {
    serve(demoStatusWithoutMetrics);
    await renderForEntity(<EntityCodemieContent chartWidth={500} />);
    expect(await screen.findByText('Info: No metrics yet')).toBeInTheDocument();
    expect(
      screen.getByText(/metrics API \(metrics.k8s.io\) has not answered yet/),
    ).toBeVisible();
    expect(
      screen.getByLabelText(
        'MCP Connect memory: no usage metrics, requests 1 GiB, limits 1 GiB, baseline 1 GiB',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No usage history yet; advice needs 24 h of samples.'),
    ).toBeInTheDocument();
  });

  it('refreshes on demand and keeps the last status when a refresh fails', async () => {
    const { status, history } = serve(demoStatus, healthyStatus, {
      status: 502,
      name: 'Error',
      message: 'GKE API: connect ETIMEDOUT',
    });
    await renderForEntity(<EntityCodemieContent chartWidth={500} />);
    const verdict = await screen.findByLabelText('Environment verdict');
    expect(verdict).toHaveTextContent('9 of 12 components healthy');
    await waitFor(() => expect(history.windows).toEqual(['7d']));

    fireEvent.click(screen.getByLabelText('Refresh now'));
    await waitFor(() =>
      expect(verdict).toHaveTextContent('12 of 12 components healthy'),
    );
    expect(screen.queryByLabelText('Detected problems')).toBeNull();
    await waitFor(() => expect(history.windows).toEqual(['7d', '7d']));

    await waitFor(() =>
      expect(screen.getByLabelText('Refresh now')).toBeEnabled(),
    );
    fireEvent.click(screen.getByLabelText('Refresh now'));
    expect(
      await screen.findByText(
        /^Warning: Refresh failed; showing the status from/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('GKE API: connect ETIMEDOUT')).toBeVisible();
    expect(verdict).toHaveTextContent('12 of 12 components healthy');
    expect(status.requests).toHaveLength(3);
  });

  it('auto-refreshes at the configured interval', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      const { status } = serve(demoStatus, healthyStatus);
      await renderForEntity(<EntityCodemieContent chartWidth={500} />, {
        config: { codemie: { frontend: { refreshIntervalSeconds: 10 } } },
      });
      const verdict = await screen.findByLabelText('Environment verdict');
      expect(verdict).toHaveTextContent('auto-refresh every 10 s');
      expect(status.requests).toHaveLength(1);
      await act(async () => {
        jest.advanceTimersByTime(10_000);
      });
      await waitFor(() =>
        expect(verdict).toHaveTextContent('12 of 12 components healthy'),
      );
      expect(status.requests).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('polling', () => {
    let visibility: DocumentVisibilityState = 'visible';
    beforeAll(() => {
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => visibility,
      });
    });
    afterAll(() => {
      delete (document as { visibilityState?: unknown }).visibilityState;
    });
    const setVisibility = async (state: DocumentVisibilityState) => {
      visibility = state;
      await act(async () => {
        document.dispatchEvent(new Event('visibilitychange'));
      });
    };

    it('polls only while the tab is visible, and reads at once when it is shown again', async () => {
      jest.useFakeTimers({ advanceTimers: true });
      try {
        const { status } = serve(demoStatus, healthyStatus);
        await renderForEntity(<EntityCodemieContent chartWidth={500} />, {
          config: { codemie: { frontend: { refreshIntervalSeconds: 10 } } },
        });
        const verdict = await screen.findByLabelText('Environment verdict');
        expect(status.requests).toHaveLength(1);

        await setVisibility('hidden');
        await act(async () => {
          jest.advanceTimersByTime(35_000);
        });
        expect(status.requests).toHaveLength(1);

        await setVisibility('visible');
        // At once, not at the next tick of the interval.
        await waitFor(() => expect(status.requests).toHaveLength(2));
        await waitFor(() =>
          expect(verdict).toHaveTextContent('12 of 12 components healthy'),
        );
        await act(async () => {
          jest.advanceTimersByTime(10_000);
        });
        await waitFor(() => expect(status.requests).toHaveLength(3));
      } finally {
        visibility = 'visible';
        jest.useRealTimers();
      }
    });

    it('keeps showing the current status when the backend answers 304', async () => {
      jest.useFakeTimers({ advanceTimers: true });
      try {
        const asked: Array<string | null> = [];
        server.use(
          http.get(`${ENTITY_URL}/status`, ({ request }) => {
            asked.push(request.headers.get('if-none-match'));
            return request.headers.get('if-none-match') === '"demo-1"'
              ? new HttpResponse(null, {
                  status: 304,
                  headers: { etag: '"demo-1"' },
                })
              : HttpResponse.json(demoStatus, {
                  headers: { etag: '"demo-1"' },
                });
          }),
          historyHandler(demoHistory('24h')).handler,
        );
        await renderForEntity(<EntityCodemieContent chartWidth={500} />, {
          config: { codemie: { frontend: { refreshIntervalSeconds: 10 } } },
        });
        const verdict = await screen.findByLabelText('Environment verdict');
        expect(verdict).toHaveTextContent('9 of 12 components healthy');
        await act(async () => {
          jest.advanceTimersByTime(10_000);
        });
        await waitFor(() => expect(asked).toEqual([null, '"demo-1"']));
        await waitFor(() =>
          expect(screen.getByLabelText('Refresh now')).toBeEnabled(),
        );
        expect(verdict).toHaveTextContent('9 of 12 components healthy');
        expect(screen.queryByText(/Refresh failed/)).toBeNull();
        expect(screen.getByLabelText('Detected problems')).toBeInTheDocument();
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
