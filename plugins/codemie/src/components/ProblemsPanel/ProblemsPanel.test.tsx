import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { demoStatus } from '../../__fixtures__/demoEnvironment';
import { ProblemsPanel } from './ProblemsPanel';

describe('ProblemsPanel', () => {
  it('lists errors first, each with its evidence and its fix', async () => {
    await renderInTestApp(
      <ProblemsPanel
        problems={demoStatus.problems}
        componentNames={{
          'mcp-connect': 'MCP Connect',
          'codemie-api': 'CodeMie API',
        }}
      />,
    );
    const panel = screen.getByRole('region', { name: 'Detected problems' });
    expect(within(panel).getByText('1 error, 1 warning')).toBeInTheDocument();

    const items = within(panel).getAllByRole('listitem');
    // The fixture lists the warning first; the panel puts the error on top.
    expect(items[0]).toHaveAccessibleName(
      'error: MCP Connect is crash-looping',
    );
    expect(items[1]).toHaveAccessibleName(
      'warning: A CodeMie API replica cannot be scheduled',
    );

    expect(within(items[0]).getByText('MCP Connect')).toBeInTheDocument();
    expect(
      within(items[0]).getByText(/7 restarts in 25 min/),
    ).toBeInTheDocument();
    expect(items[0]).toHaveTextContent(
      'Fix: Raise mcp-connect memory request and limit from 1Gi to 2Gi',
    );
    expect(items[1]).toHaveTextContent(
      'Fix: Raise the node pool maximum from 3 to 4 nodes',
    );
  });

  it('says so when nothing is wrong', async () => {
    await renderInTestApp(<ProblemsPanel problems={[]} />);
    expect(screen.getByText('No problems detected.')).toBeInTheDocument();
  });
});
