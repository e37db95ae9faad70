import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { demoStatus } from '../../__fixtures__/demoEnvironment';
import { AdviceList, formatAdviceChange } from './AdviceList';

describe('AdviceList', () => {
  it('shows each change with the value to set, its cost and evidence', async () => {
    await renderInTestApp(
      <AdviceList
        advice={demoStatus.advice}
        componentNames={{ 'mcp-connect': 'MCP Connect' }}
      />,
    );
    const section = screen.getByRole('region', { name: 'Sizing advice' });
    // 3.62 + 20 - 15.07
    expect(
      within(section).getByText('3 changes, net +$8.55/month'),
    ).toBeInTheDocument();

    const mcp = within(section).getByRole('listitem', {
      name: 'MCP Connect memory at its limit, OOMKilled 7 times → 2 GiB',
    });
    expect(within(mcp).getByText('Raise memory')).toBeInTheDocument();
    expect(within(mcp).getByText('MCP Connect')).toBeInTheDocument();
    expect(within(mcp).getByText('1 GiB → 2 GiB')).toBeInTheDocument();
    expect(mcp).toHaveTextContent('+$3.62/month');
    expect(mcp).toHaveTextContent('p95 memory 1012 of 1024 MiB over 72 h');

    const mermaid = within(section).getByRole('listitem', {
      name: /Mermaid server uses under 5%/,
    });
    expect(within(mermaid).getByText('1 core → 250m')).toBeInTheDocument();
    expect(mermaid).toHaveTextContent('−$15.07/month');

    expect(within(section).getByText('200 GiB → 300 GiB')).toBeInTheDocument();
  });

  it('explains why there is no advice', async () => {
    await renderInTestApp(
      <AdviceList advice={[]} note="2 h of usage history; advice needs 24 h" />,
    );
    expect(
      screen.getByText('2 h of usage history; advice needs 24 h'),
    ).toBeInTheDocument();
  });

  it('formats replica changes', () => {
    expect(
      formatAdviceChange({
        component: 'codemie-api',
        change: 'add-replicas',
        summary: '',
        evidence: '',
        from: 2,
        to: 3,
        monthlyCostDeltaUsd: 120,
      }),
    ).toBe('2 → 3 replicas');
  });
});
