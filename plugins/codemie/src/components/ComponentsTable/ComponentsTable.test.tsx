import { fireEvent, render, screen, within } from '@testing-library/react';
import { demoStatus } from '../../__fixtures__/demoEnvironment';
import { ComponentsTable } from './ComponentsTable';

function bodyRows() {
  const table = screen.getByRole('table', { name: 'CodeMie components' });
  // Component rows carry data-component; pod detail rows do not.
  return Array.from(
    table.querySelectorAll<HTMLElement>('tbody > tr[data-component]'),
  );
}

describe('ComponentsTable', () => {
  it('lists the twelve components worst first, with health chips', async () => {
    render(<ComponentsTable components={demoStatus.components} />);
    const rows = bodyRows();
    expect(rows).toHaveLength(12);
    expect(rows.map(r => r.getAttribute('data-component')).slice(0, 3)).toEqual(
      ['mcp-connect', 'codemie-api', 'kibana'],
    );
    expect(
      within(rows[0]).getByRole('img', { name: 'MCP Connect health: error' }),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('img', { name: 'CodeMie API health: warning' }),
    ).toBeInTheDocument();
    expect(
      within(rows[2]).getByRole('img', { name: 'Kibana health: pending' }),
    ).toBeInTheDocument();
    const okRows = rows.filter(r =>
      within(r).queryByRole('img', { name: /health: ok$/ }),
    );
    expect(okRows).toHaveLength(9);
    expect(within(rows[3]).getByRole('rowheader')).toHaveTextContent(
      'CodeMie UI',
    );
  });

  it('flags the restarting component and shows pods ready of expected', async () => {
    render(<ComponentsTable components={demoStatus.components} />);
    const [mcp, api] = bodyRows();
    const restarts = within(mcp).getByRole('img', {
      name: 'MCP Connect: 7 restarts',
    });
    expect(restarts).toHaveAttribute('data-restarting', 'true');
    expect(restarts).toHaveTextContent('7');
    expect(
      within(mcp).getByText(/CrashLoopBackOff: 7 restarts in 25 min/),
    ).toBeInTheDocument();
    expect(
      within(api).getByRole('img', { name: 'CodeMie API: 1 of 2 pods ready' }),
    ).toHaveTextContent('1/2');
    expect(
      bodyRows().filter(r => r.querySelector('[data-restarting]')),
    ).toEqual([mcp]);
  });

  it('draws CPU, memory and storage as live use vs requests vs baseline', async () => {
    render(<ComponentsTable components={demoStatus.components} />);
    const api = bodyRows()[1];
    expect(
      within(api).getByRole('img', {
        name: 'CodeMie API CPU: using 2.85 cores (36% of requests), requests 8 cores, limits 16 cores, baseline 8 cores',
      }),
    ).toBeInTheDocument();
    expect(within(api).getByText('use 2.85 cores (36%)')).toBeInTheDocument();
    expect(
      within(api).getByText('req 8 cores · base 8 cores'),
    ).toBeInTheDocument();

    const kibana = bodyRows()[2];
    // Kibana's pod is still being created: no use yet.
    expect(
      within(kibana).getByRole('img', {
        name: 'Kibana CPU: no usage metrics, requests 1 core, limits 2 cores, baseline 1 core',
      }),
    ).toBeInTheDocument();

    const es = bodyRows().find(
      r => r.getAttribute('data-component') === 'elasticsearch',
    )!;
    expect(
      within(es).getByRole('img', {
        name: 'Elasticsearch memory: using 29.4 GiB (92% of requests), requests 32 GiB, limits 32 GiB, baseline 32 GiB',
      }),
    ).toBeInTheDocument();
    expect(
      within(es).getByRole('img', {
        name: 'Elasticsearch storage: used 262.5 GiB (66% of provisioned), provisioned 400 GiB, baseline 400 GiB',
      }),
    ).toBeInTheDocument();
    const pg = bodyRows().find(
      r => r.getAttribute('data-component') === 'postgresql',
    )!;
    expect(
      within(pg).getByText('size 50 GiB · base 50 GiB'),
    ).toBeInTheDocument();
    expect(within(pg).getByText('managed')).toBeInTheDocument();
    // Memory at the limit is drawn red.
    expect(
      within(bodyRows()[0]).getByRole('img', { name: /^MCP Connect memory:/ }),
    ).toHaveAttribute('data-level', 'at-limit');
  });

  it('expands a component to its pods with their state reasons', async () => {
    render(<ComponentsTable components={demoStatus.components} />);
    expect(
      screen.queryByRole('table', { name: 'Pods of CodeMie API' }),
    ).toBeNull();

    const toggle = screen.getByRole('button', {
      name: 'Show pods of CodeMie API',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(toggle).toHaveAccessibleName('Hide pods of CodeMie API');

    const pods = screen.getByRole('table', { name: 'Pods of CodeMie API' });
    const podRows = within(pods).getAllByRole('row').slice(1);
    expect(podRows).toHaveLength(2);
    const pending = podRows.find(
      r => r.getAttribute('data-pod') === 'codemie-api-7c9d8f6b5d-m4w8k',
    )!;
    expect(
      within(pending).getByText('Unschedulable (Pending)'),
    ).toBeInTheDocument();
    expect(
      within(pending).getByText(/0\/3 nodes are available: 3 Insufficient cpu/),
    ).toBeInTheDocument();
    expect(within(pending).getByText('not scheduled')).toBeInTheDocument();
    expect(
      within(pending).getByRole('img', {
        name: 'codemie-api-7c9d8f6b5d-m4w8k health: error',
      }),
    ).toBeInTheDocument();
    const running = podRows.find(
      r => r.getAttribute('data-pod') === 'codemie-api-7c9d8f6b5d-2xq7n',
    )!;
    expect(running).toHaveTextContent('use 2.85 cores');
    expect(running).toHaveTextContent('req 4 cores · lim 8 cores');
    expect(running).toHaveTextContent('europe-west4-a');

    fireEvent.click(toggle);
    expect(
      screen.queryByRole('table', { name: 'Pods of CodeMie API' }),
    ).toBeNull();
  });

  it('shows the crash-looping pod with its restarts and message', async () => {
    render(
      <ComponentsTable
        components={demoStatus.components}
        initiallyExpanded={['mcp-connect']}
      />,
    );
    const pods = screen.getByRole('table', { name: 'Pods of MCP Connect' });
    expect(within(pods).getByText('CrashLoopBackOff')).toBeInTheDocument();
    expect(
      within(pods).getByRole('img', {
        name: 'codemie-mcp-connect-service-0: 7 restarts',
      }),
    ).toBeInTheDocument();
    expect(
      within(pods).getByText(/OOMKilled, exit code 137/),
    ).toBeInTheDocument();
  });
});
