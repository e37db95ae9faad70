import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { demoStatus } from '../../__fixtures__/demoEnvironment';
import {
  ClusterSummary,
  clusterHealth,
  databaseHealth,
} from './ClusterSummary';

describe('ClusterSummary', () => {
  it('summarises cluster, node pool, reservations, totals and database', async () => {
    await renderInTestApp(
      <ClusterSummary
        cluster={demoStatus.cluster}
        database={demoStatus.database}
        environment={demoStatus.environment}
        totals={demoStatus.totals}
        monthlyCostUsd={demoStatus.monthlyCostUsd}
      />,
    );
    const section = screen.getByRole('region', { name: 'Cluster summary' });
    expect(
      within(section).getByRole('img', { name: 'Cluster health: ok' }),
    ).toBeInTheDocument();
    expect(within(section).getByText('codemie-demo')).toBeInTheDocument();
    expect(section).toHaveTextContent(
      'codemie-pool: 3 × n2-standard-8 (autoscaling 3–3)',
    );
    expect(
      within(section).getByRole('progressbar', {
        name: 'Node pool CPU: pods request 20.95 cores of the 23.73 cores the nodes offer (88%)',
      }),
    ).toHaveAttribute('aria-valuenow', '88');
    expect(
      within(section).getByRole('img', {
        name: 'All components CPU: using 8.98 cores (38% of requests), requests 23.6 cores, baseline 23.6 cores',
      }),
    ).toBeInTheDocument();
    expect(section).toHaveTextContent(
      'RUNNABLE · db-custom-2-8192 · disk 6.4 GiB of 50 GiB',
    );
    expect(section).toHaveTextContent('$1,187.42 / month');
  });

  it('maps GKE and Cloud SQL states to health', () => {
    expect(clusterHealth('RECONCILING')).toBe('pending');
    expect(clusterHealth('ERROR')).toBe('error');
    expect(databaseHealth('FAILED')).toBe('error');
    expect(databaseHealth('RUNNABLE')).toBe('ok');
  });
});
