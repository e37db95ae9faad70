import { useState } from 'react';
import { act, fireEvent, screen, within } from '@testing-library/react';
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
  planRequestFrom,
} from './CodemieSizingPreview';

// Rendering the scaffolder form context and the debounce take seconds on a loaded 2-core machine.
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

function renderField(element = <Harness />) {
  return renderInTestApp(
    <TestApiProvider apis={[[codemieApiRef, createTestClient()]]}>
      {element}
    </TestApiProvider>,
  );
}

/** A preview whose total depends on the users, to tell answers apart. */
function previewFor(users: number) {
  return {
    ...demoPlanPreview,
    tier: users > 500 ? 'large' : 'medium',
    monthlyCostUsd: 1000 + users,
  };
}

const section = () =>
  screen.getByRole('region', { name: 'Sizing and monthly cost' });

describe('CodemieSizingPreview', () => {
  const server = setupCodemieServer();

  it('builds the plan request from the template values', () => {
    expect(planRequestFrom(templateValues)).toEqual({
      region: 'europe-west1',
      option: 'private',
      regional: true,
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

  it('shows the tier, components, node pool, cost, alternatives and price date; stores the headline', async () => {
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
    ).toEqual(['Elasticsearch', '3', '1', '4Gi', '40Gi']);
    expect(
      within(table).getByRole('row', { name: /PostgreSQL/ }),
    ).toHaveTextContent('managed');

    const summary = section();
    expect(summary).toHaveTextContent('Tiermedium');
    expect(summary).toHaveTextContent('n2-standard-8, 3–6 nodes, 3 zones');
    expect(summary).toHaveTextContent('$1,187.42 / month (on-demand)');

    const cost = screen.getByRole('table', { name: 'Monthly cost' });
    expect(
      within(cost).getByRole('row', { name: /GKE nodes/ }),
    ).toHaveTextContent('3 × n2-standard-8 on-demand, 730 h$842.10');
    expect(within(cost).getByRole('row', { name: /Total/ })).toHaveTextContent(
      '$1,187.42',
    );

    const alternatives = screen.getByRole('list', {
      name: 'Pricing alternatives',
    });
    expect(
      within(alternatives)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'Spot nodes: $612.90 / month',
      '1-year committed use: $942.77 / month',
      '3-year committed use: $766.20 / month',
    ]);
    expect(summary).toHaveTextContent('list prices of 2025-11-01');

    expect(onValue).toHaveBeenCalledTimes(1);
    expect(onValue).toHaveBeenCalledWith({
      tier: 'medium',
      monthlyCostUsd: 1187.42,
      machineType: 'n2-standard-8',
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
      machineType: 'n2-standard-8',
    });
  });

  it('ignores the answer to a request the user has moved on from', async () => {
    const { handler, bodies } = planPreviewHandler(body => ({
      ...previewFor(body.sizing.concurrentUsers),
      // The first answer is slow; the second overtakes it.
      delayMs: body.sizing.concurrentUsers === 100 ? 600 : 0,
    }));
    server.use(handler);
    await renderField();
    // The first request is in flight once the debounce has passed.
    await act(() => new Promise(r => setTimeout(r, 500)));
    expect(bodies).toHaveLength(1);
    fireEvent.change(screen.getByLabelText('Concurrent users'), {
      target: { value: '700' },
    });
    expect(
      await screen.findByText('$1,700.00 / month (on-demand)', {
        exact: false,
      }),
    ).toBeInTheDocument();
    await act(() => new Promise(r => setTimeout(r, 700)));
    expect(section()).toHaveTextContent('$1,700.00 / month (on-demand)');
    expect(section()).toHaveTextContent('Tierlarge');
  });

  it('asks for a region before calling the backend', async () => {
    const { handler, bodies } = planPreviewHandler(() => demoPlanPreview);
    server.use(handler);
    await renderField(
      <Harness initial={{ ...templateValues, region: undefined }} />,
    );
    expect(section()).toHaveTextContent('Choose a region');
    await act(() => new Promise(r => setTimeout(r, 500)));
    expect(bodies).toHaveLength(0);
  });
});
