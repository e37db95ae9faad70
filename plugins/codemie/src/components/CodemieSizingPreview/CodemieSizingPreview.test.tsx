import { useState } from 'react';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { codemieApiRef } from '../../api';
import { demoPlanPreview } from '../../__fixtures__/demoPlanPreview';
import {
  createTestClient,
  planPreviewHandler,
  setupCodemieServer,
} from '../../__testUtils__/msw';
import {
  CodemieSizingPreview,
  CodemieSizingPreviewValue,
  PREVIEW_DEBOUNCE_MS,
  planRequestFrom,
} from './CodemieSizingPreview';

// Rendering the scaffolder form context takes seconds on a loaded 2-core machine (the debounce
// no longer does: it runs on fake timers).
jest.setTimeout(30_000);

/** The template's values up to the Sizing page, with the defaults. */
const templateValues = {
  name: 'codemie-demo',
  owner: 'group:default/platform-engineering',
  projectId: 'codemie-demo-123',
  region: 'europe-west1',
  regional: true,
  domain: 'demo.example.com',
  createDnsZone: true,
  option: 'private',
  bastionMembers: ['group:platform@example.com'],
  concurrentUsers: 100,
  vectorDatasourceGiB: 20,
  logRetentionDays: 14,
  llmProxyType: 'litellm',
  includeNats: false,
};

/**
 * Stands in for the scaffolder's stepper: passes the whole form as `formContext.formData`
 * (as scaffolder-react v3 does) and keeps the field's own value in it.
 */
const Harness = ({
  initial = templateValues,
  onValue,
}: {
  initial?: Record<string, unknown>;
  onValue?: (value: CodemieSizingPreviewValue | undefined) => void;
}) => {
  const [formData, setFormData] = useState<Record<string, unknown>>(initial);
  const props = {
    name: 'sizingPreview',
    idSchema: { $id: 'root_sizingPreview' },
    schema: { title: 'Sizing and monthly cost', type: 'object' },
    uiSchema: { 'ui:field': 'CodemieSizingPreview' },
    formData: formData.sizingPreview as CodemieSizingPreviewValue | undefined,
    formContext: { formData },
    onChange: (value: CodemieSizingPreviewValue | undefined) => {
      onValue?.(value);
      setFormData(current => ({ ...current, sizingPreview: value }));
    },
    onBlur: () => {},
    onFocus: () => {},
    rawErrors: [],
    required: false,
    disabled: false,
    readonly: false,
    registry: {} as any,
  } as any;
  return (
    <>
      <input
        aria-label="Concurrent users"
        type="number"
        value={String(formData.concurrentUsers ?? '')}
        onChange={e =>
          setFormData(current => ({
            ...current,
            concurrentUsers:
              e.target.value === '' ? undefined : Number(e.target.value),
          }))
        }
      />
      <CodemieSizingPreview {...props} />
    </>
  );
};

function renderField(element = <Harness />, client = createTestClient()) {
  return renderInTestApp(
    <TestApiProvider apis={[[codemieApiRef, client]]}>
      {element}
    </TestApiProvider>,
  );
}

/** A preview whose total depends on the users, to tell answers apart. */
function previewFor(users: number) {
  return {
    ...demoPlanPreview,
    tier: users > 500 ? 'large' : 'medium',
    tierLabel: users > 500 ? 'large' : 'medium',
    monthlyCostUsd: 1000 + users,
  };
}

const section = () =>
  screen.getByRole('region', { name: 'Sizing and monthly cost' });

describe('CodemieSizingPreview', () => {
  const server = setupCodemieServer();
  // The debounce runs on jest's fake timers: the tests move time (findBy* advances it while it
  // waits), so no test waits for real milliseconds to pass.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('builds the plan request from the template values', () => {
    expect(planRequestFrom(templateValues)).toEqual({
      region: 'europe-west1',
      option: 'private',
      regional: true,
      createDnsZone: true,
      sizing: {
        concurrentUsers: 100,
        vectorDatasourceGiB: 20,
        logRetentionDays: 14,
        llmProxyType: 'litellm',
        includeNats: false,
      },
    });
    expect(planRequestFrom(undefined)).toBeUndefined();
    expect(planRequestFrom({ concurrentUsers: 5 })).toBeUndefined();
  });

  it('shows the tier, components, node pool, placement check, every bill line, the range, the next step, alternatives and price date; stores the headline', async () => {
    const { handler, bodies } = planPreviewHandler(() => demoPlanPreview);
    server.use(handler);
    const onValue = jest.fn();
    await renderField(<Harness onValue={onValue} />);

    const table = await screen.findByRole('table', {
      name: 'Planned components',
    });
    expect(bodies).toEqual([planRequestFrom(templateValues)]);

    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(demoPlanPreview.components.length + 1);
    const es = within(table).getByRole('row', { name: /Elasticsearch/ });
    expect(
      within(es)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['Elasticsearch', '2', '1', '3Gi', '50Gi']);
    expect(
      within(table).getByRole('row', { name: /PostgreSQL/ }),
    ).toHaveTextContent('managed');

    const summary = section();
    expect(summary).toHaveTextContent('Tiermedium');
    expect(summary).toHaveTextContent('e2-standard-4, 9–12 nodes, 3 zones');
    expect(summary).toHaveTextContent(
      'kube-scheduler placed every pod in 216 of 216 simulated runs (24 creation orders × every single-node drain)',
    );
    expect(summary).toHaveTextContent(
      '$1,351.00 / month (on-demand), up to $1,703.87 at 12 nodes',
    );

    const cost = screen.getByRole('table', { name: 'Monthly cost' });
    // Every line of the bill, estimates marked.
    expect(within(cost).getAllByRole('row')).toHaveLength(
      demoPlanPreview.costLines.length + 3,
    );
    for (const item of [
      /GKE nodes/,
      /Cloud SQL backups/,
      /Network egress/,
      /Cloud DNS/,
      /Secret Manager/,
      /Cloud KMS/,
      /Cloud Logging/,
    ])
      expect(within(cost).getByRole('row', { name: item })).toBeInTheDocument();
    expect(
      within(cost).getByRole('row', { name: /Cloud SQL backups/ }),
    ).toHaveTextContent('(estimate)');
    expect(
      within(cost).getByRole('row', { name: /Total \(on-demand/ }),
    ).toHaveTextContent('$1,351.00');
    expect(
      within(cost).getByRole('row', { name: /autoscaling maximum/ }),
    ).toHaveTextContent('$1,703.87');
    expect(screen.getByLabelText('Next step')).toHaveTextContent(
      'At 191 concurrent users this becomes 6 × e2-standard-8, about $1,781.61 / month.',
    );

    const alternatives = screen.getByRole('list', {
      name: 'Pricing alternatives',
    });
    expect(
      within(alternatives)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'Spot nodes: $851.53 / month',
      '1-year committed use: $992.61 / month',
      '3-year committed use: $818.26 / month',
    ]);
    expect(summary).toHaveTextContent('list prices of 2026-07-30');

    expect(onValue).toHaveBeenCalledTimes(1);
    expect(onValue).toHaveBeenCalledWith({
      tier: 'medium',
      monthlyCostUsd: 1351,
      machineType: 'e2-standard-4',
    });
  });

  it("shows the backend's 400 message naming the field, and clears its value", async () => {
    const { handler } = planPreviewHandler(body =>
      body.sizing.concurrentUsers > 5000
        ? {
            status: 400,
            name: 'InputError',
            message:
              'sizing.concurrentUsers: 9000 is above the largest tier (5000 users)',
          }
        : demoPlanPreview,
    );
    server.use(handler);
    const onValue = jest.fn();
    await renderField(<Harness onValue={onValue} />);
    await screen.findByRole('table', { name: 'Planned components' });

    fireEvent.change(screen.getByLabelText('Concurrent users'), {
      target: { value: '9000' },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /^sizing\.concurrentUsers: 9000 is above the largest tier \(5000 users\)$/,
    );
    expect(
      screen.queryByRole('table', { name: 'Planned components' }),
    ).not.toBeInTheDocument();
    expect(onValue).toHaveBeenLastCalledWith(undefined);

    // Back to a valid value: the preview returns.
    fireEvent.change(screen.getByLabelText('Concurrent users'), {
      target: { value: '100' },
    });
    expect(
      await screen.findByRole('table', { name: 'Planned components' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('re-queries, debounced, when the users change and shows the latest answer', async () => {
    const { handler, bodies } = planPreviewHandler(body =>
      previewFor(body.sizing.concurrentUsers),
    );
    server.use(handler);
    const onValue = jest.fn();
    await renderField(<Harness onValue={onValue} />);
    expect(
      await screen.findByText('$1,100.00 / month (on-demand)', {
        exact: false,
      }),
    ).toBeInTheDocument();

    const users = screen.getByLabelText('Concurrent users');
    fireEvent.change(users, { target: { value: '2' } });
    fireEvent.change(users, { target: { value: '25' } });
    fireEvent.change(users, { target: { value: '250' } });
    expect(
      await screen.findByText('$1,250.00 / month (on-demand)', {
        exact: false,
      }),
    ).toBeInTheDocument();
    // One request for the first render, one for the last of the quick changes.
    expect(bodies.map(b => b.sizing.concurrentUsers)).toEqual([100, 250]);
    expect(onValue).toHaveBeenLastCalledWith({
      tier: 'medium',
      monthlyCostUsd: 1250,
      machineType: 'e2-standard-4',
    });
  });

  it('ignores the answer to a request the user has moved on from', async () => {
    let releaseFirst = () => {};
    const firstAnswer = new Promise<void>(resolve => {
      releaseFirst = resolve;
    });
    const { handler, bodies, answered } = planPreviewHandler(body => ({
      ...previewFor(body.sizing.concurrentUsers),
      // The first answer is slow (held until released); the second overtakes it.
      answerAfter:
        body.sizing.concurrentUsers === 100 ? firstAnswer : undefined,
    }));
    server.use(handler);
    await renderField();
    // The first request is in flight once the debounce has passed.
    await act(() => jest.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS));
    await waitFor(() => expect(bodies).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('Concurrent users'), {
      target: { value: '700' },
    });
    expect(
      await screen.findByText('$1,700.00 / month (on-demand)', {
        exact: false,
      }),
    ).toBeInTheDocument();
    // Now the first, outdated answer arrives: the preview keeps the latest one.
    releaseFirst();
    await waitFor(() =>
      expect(answered.map(b => b.sizing.concurrentUsers)).toEqual([700, 100]),
    );
    await act(() => jest.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS));
    expect(section()).toHaveTextContent('$1,700.00 / month (on-demand)');
    expect(section()).toHaveTextContent('Tierlarge');
  });

  it('asks for a region before calling the backend', async () => {
    const { handler, bodies } = planPreviewHandler(() => demoPlanPreview);
    server.use(handler);
    const client = createTestClient();
    const previewPlan = jest.spyOn(client, 'previewPlan');
    await renderField(
      <Harness initial={{ ...templateValues, region: undefined }} />,
      client,
    );
    expect(section()).toHaveTextContent('Choose a region');
    // Well past the debounce: still no call (the call would start as the debounce ends).
    await act(() => jest.advanceTimersByTimeAsync(2 * PREVIEW_DEBOUNCE_MS));
    expect(previewPlan).not.toHaveBeenCalled();
    expect(bodies).toHaveLength(0);
  });
});
