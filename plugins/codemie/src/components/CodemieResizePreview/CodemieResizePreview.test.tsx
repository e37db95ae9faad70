import { useState } from 'react';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  SIZING_PRESETS,
  planResize,
  resolveResize,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import { codemieApiRef } from '../../api';
import {
  BASE_URL,
  createTestClient,
  errorResponse,
  setupCodemieServer,
} from '../../__testUtils__/msw';
import {
  CodemieResizePreview,
  CodemieResizePreviewValue,
  resizeRequestFrom,
} from './CodemieResizePreview';

jest.setTimeout(30_000);

const RESIZE_URL = `${BASE_URL}/api/codemie/v1/resize/preview`;

// The trial environment's record, and the plan the backend's planner makes for a resize of it.
const recorded = validateEnvironmentInput({
  name: 'codemie-trial',
  projectId: 'codemie-sandbox',
  region: 'europe-west3',
  option: 'private',
  bastionMembers: ['group:platform-engineering@example.com'],
  domain: 'trial.codemie.example.com',
  sizing: SIZING_PRESETS.small,
});
const toMedium = planResize(
  recorded,
  resolveResize(recorded, { tier: 'medium' }),
);

const Harness = ({
  initial,
  onValue,
}: {
  initial: Record<string, unknown>;
  onValue?: (v: CodemieResizePreviewValue | undefined) => void;
}) => {
  const [formData, setFormData] = useState<Record<string, unknown>>(initial);
  const props = {
    name: 'resizePreview',
    idSchema: { $id: 'root_resizePreview' },
    schema: { title: 'Components, node pool and monthly cost', type: 'object' },
    uiSchema: { 'ui:field': 'CodemieResizePreview' },
    formData: formData.resizePreview as CodemieResizePreviewValue | undefined,
    formContext: { formData },
    onChange: (value: CodemieResizePreviewValue | undefined) => {
      onValue?.(value);
      setFormData(current => ({ ...current, resizePreview: value }));
    },
  } as any;
  return <CodemieResizePreview {...props} />;
};

const render = (initial: Record<string, unknown>, onValue?: (v: any) => void) =>
  renderInTestApp(
    <TestApiProvider apis={[[codemieApiRef, createTestClient()]]}>
      <Harness initial={initial} onValue={onValue} />
    </TestApiProvider>,
  );

describe('CodemieResizePreview', () => {
  const server = setupCodemieServer();

  it('sends what codemie:resize takes: a named tier, sizing only with custom, the version when given', () => {
    expect(resizeRequestFrom({})).toBeUndefined();
    expect(
      resizeRequestFrom({
        environment: 'resource:p/n',
        tier: 'keep',
        imageVersion: '',
      }),
    ).toEqual({ environment: 'resource:p/n' });
    expect(
      resizeRequestFrom({
        environment: 'resource:p/n',
        tier: 'medium',
        sizing: { concurrentUsers: 3 },
        imageVersion: '1.4.2',
      }),
    ).toEqual({
      environment: 'resource:p/n',
      tier: 'medium',
      imageVersion: '1.4.2',
    });
    expect(
      resizeRequestFrom({
        environment: 'resource:p/n',
        tier: 'custom',
        sizing: { concurrentUsers: 3 },
      }),
    ).toEqual({
      environment: 'resource:p/n',
      tier: 'custom',
      sizing: { concurrentUsers: 3 },
    });
  });

  it('shows what changes before anything does: sizing, node pool, each component, cost before → after, the steps', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(RESIZE_URL, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json(toMedium);
      }),
    );
    const values: Array<CodemieResizePreviewValue | undefined> = [];
    await render(
      { environment: 'resource:codemie-sandbox/codemie-trial', tier: 'medium' },
      v => values.push(v),
    );
    const summary = await screen.findByLabelText('Resize summary', undefined, {
      timeout: 10_000,
    });
    expect(bodies).toEqual([
      { environment: 'resource:codemie-sandbox/codemie-trial', tier: 'medium' },
    ]);
    expect(summary).toHaveTextContent('Sizingsmall → medium');
    expect(summary).toHaveTextContent(
      /Node pool\s*e2-standard-4 × 6–9 nodes → e2-standard-4 × 9–12 nodes: same machines/,
    );
    expect(summary).toHaveTextContent(
      /Monthly cost\s*\$1,132\.52 → \$1,575\.30 \(\+\$442\.78\/month\)/,
    );

    const table = screen.getByRole('table', { name: 'Components that change' });
    const api = table.querySelector('tr[data-component="codemie-api"]')!;
    expect(api).toHaveTextContent('1 × 1 core / 2 GiB');
    expect(api).toHaveTextContent('1 × 2 cores / 6 GiB');
    expect(
      table.querySelector('tr[data-component="elasticsearch"]'),
    ).toHaveTextContent('volumes grow in place from 30 to 50 GiB per pod');
    const steps = within(
      screen.getByRole('list', { name: 'Resize steps' }),
    ).getAllByRole('listitem');
    expect(steps[0]).toHaveTextContent(
      /^Grow the node pool to 9 nodes before the workloads/,
    );
    // The review page shows the headline.
    expect(values[values.length - 1]).toEqual({
      sizing: 'small → medium',
      monthlyCost: '$1,132.52 → $1,575.30 (+$442.78/month)',
      changes: true,
    });
  });

  it('says so when nothing would change, and shows the backend’s reason for a bad input', async () => {
    const same = planResize(
      recorded,
      resolveResize(recorded, { tier: 'small' }),
    );
    server.use(http.post(RESIZE_URL, () => HttpResponse.json(same)));
    await render({
      environment: 'resource:codemie-sandbox/codemie-trial',
      tier: 'small',
    });
    expect(
      await screen.findByRole('status', undefined, { timeout: 10_000 }),
    ).toHaveTextContent(
      'Nothing to change: the environment already has this sizing and these images.',
    );

    server.use(
      http.post(RESIZE_URL, () =>
        errorResponse(
          400,
          'InputError',
          'Invalid CodeMie environment input: sizing.concurrentUsers: must be at most 20,000',
        ),
      ),
    );
    await render({
      environment: 'resource:codemie-sandbox/codemie-trial',
      tier: 'custom',
      sizing: { concurrentUsers: 50_000 },
    });
    expect(
      await screen.findByRole('alert', undefined, { timeout: 10_000 }),
    ).toHaveTextContent('sizing.concurrentUsers: must be at most 20,000');
  });
});
