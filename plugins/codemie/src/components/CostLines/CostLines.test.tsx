import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { demoPlanPreview } from '../../__fixtures__/demoPlanPreview';
import { CostLines } from './CostLines';

describe('CostLines', () => {
  it('shows every line with its detail, marks estimates, and gives the min–max range', async () => {
    await renderInTestApp(
      <CostLines
        lines={demoPlanPreview.costLines}
        totalMonthlyUsd={demoPlanPreview.monthlyCostUsd}
        range={{
          ...demoPlanPreview.monthlyCostRangeUsd,
          minNodes: demoPlanPreview.nodePool.minNodes,
          maxNodes: demoPlanPreview.nodePool.maxNodes,
        }}
      />,
    );
    const table = screen.getByRole('table', { name: 'Monthly cost' });
    for (const line of demoPlanPreview.costLines) {
      const row = within(table).getByRole('row', {
        name: new RegExp(line.item.replace(/[()]/g, '.')),
      });
      expect(row).toHaveTextContent(line.detail.slice(0, 20));
    }
    const marked = demoPlanPreview.costLines.filter(l => l.estimate);
    expect(marked.length).toBeGreaterThan(0);
    expect(within(table).getAllByText('(estimate)')).toHaveLength(
      marked.length,
    );
    expect(
      within(table).getByRole('row', { name: /Total \(on-demand, 9 nodes\)/ }),
    ).toHaveTextContent('$1,351.00');
    expect(
      within(table).getByRole('row', {
        name: /autoscaling maximum \(12 nodes\)/,
      }),
    ).toHaveTextContent('$1,703.87');
  });
});
