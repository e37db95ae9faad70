import { render, screen } from '@testing-library/react';
import { demoHistory, demoStatus } from '../../__fixtures__/demoEnvironment';
import { formatCpu } from '../../format';
import { UsageChart } from './UsageChart';

describe('UsageChart', () => {
  const history = demoHistory('24h');
  const last = history.points[history.points.length - 1].components;

  it('stacks every component with history and summarises the total', () => {
    render(
      <UsageChart
        history={history}
        resource="cpu"
        components={demoStatus.components}
        width={600}
      />,
    );
    const totalLatest = Object.values(last).reduce((a, v) => a + v.cpu, 0);
    const chart = screen.getByRole('img', {
      name: `CPU use of all components over 24h, latest ${formatCpu(totalLatest)}, peak ${formatCpu(
        Math.max(
          ...history.points.map(p =>
            Object.values(p.components).reduce((a, v) => a + v.cpu, 0),
          ),
        ),
      )}`,
    });
    // Eleven in-cluster components have samples (Cloud SQL has none).
    expect(chart.querySelectorAll('.recharts-area')).toHaveLength(11);
  });

  it('draws one component against its requests and baseline', () => {
    render(
      <UsageChart
        history={history}
        resource="memory"
        components={demoStatus.components}
        componentId="mcp-connect"
        width={600}
      />,
    );
    const chart = screen.getByRole('img', {
      name: `Memory use of MCP Connect over 24h, latest ${last['mcp-connect'].memory} MiB, peak ${Math.max(
        ...history.points.map(p => p.components['mcp-connect'].memory),
      )} MiB, requests 1 GiB, baseline 1 GiB`,
    });
    expect(chart.querySelectorAll('.recharts-line')).toHaveLength(1);
    expect(chart.querySelectorAll('.recharts-reference-line')).toHaveLength(2);
  });

  it('says when there is no history yet', () => {
    render(
      <UsageChart
        history={{ ...history, points: [] }}
        resource="cpu"
        components={demoStatus.components}
        width={600}
      />,
    );
    expect(
      screen.getByText('No CPU history yet for all components.'),
    ).toBeInTheDocument();
  });
});
