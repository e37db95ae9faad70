import { render, screen } from '@testing-library/react';
import { ResourceBar, usageLevel } from './ResourceBar';

describe('ResourceBar', () => {
  it('prints live use, requests and baseline and names them all', () => {
    render(
      <ResourceBar
        unit="cpu"
        subject="CodeMie API"
        values={{ usage: 2850, requests: 4000, limits: 8000, baseline: 8000 }}
      />,
    );
    const bar = screen.getByRole('img', {
      name: 'CodeMie API CPU: using 2.85 cores (71% of requests), requests 4 cores, limits 8 cores, baseline 8 cores',
    });
    expect(bar).toHaveAttribute('data-level', 'normal');
    expect(screen.getByText('use 2.85 cores (71%)')).toBeInTheDocument();
    expect(screen.getByText('req 4 cores · base 8 cores')).toBeInTheDocument();
    // The scale is the largest of the three: baseline 8 cores.
    expect(screen.getByTestId('usage-fill')).toHaveStyle({ width: '35.6%' });
  });

  it('flags use at the memory limit', () => {
    render(
      <ResourceBar
        unit="memory"
        subject="MCP Connect"
        values={{ usage: 1019, requests: 1024, limits: 1024, baseline: 1024 }}
      />,
    );
    expect(
      screen.getByRole('img', {
        name: 'MCP Connect memory: using 1019 MiB (100% of requests), requests 1 GiB, limits 1 GiB, baseline 1 GiB',
      }),
    ).toHaveAttribute('data-level', 'at-limit');
  });

  it('says when there are no metrics and draws no fill', () => {
    render(
      <ResourceBar
        unit="memory"
        subject="Kibana"
        values={{ requests: 1024, baseline: 1024 }}
      />,
    );
    expect(
      screen.getByRole('img', {
        name: 'Kibana memory: no usage metrics, requests 1 GiB, baseline 1 GiB',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('no metrics')).toBeInTheDocument();
    expect(screen.queryByTestId('usage-fill')).not.toBeInTheDocument();
  });

  it('reads storage as used / provisioned / baseline', () => {
    render(
      <ResourceBar
        unit="storage"
        subject="Elasticsearch"
        values={{ usage: 262.5, requests: 400, baseline: 400 }}
      />,
    );
    expect(
      screen.getByRole('img', {
        name: 'Elasticsearch storage: used 262.5 GiB (66% of provisioned), provisioned 400 GiB, baseline 400 GiB',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('size 400 GiB · base 400 GiB')).toBeInTheDocument();
  });

  it('grades use against requests and limits', () => {
    expect(
      usageLevel('cpu', {
        usage: 4100,
        requests: 4000,
        limits: 8000,
        baseline: 4000,
      }),
    ).toBe('above-requests');
    expect(
      usageLevel('cpu', {
        usage: 7700,
        requests: 4000,
        limits: 8000,
        baseline: 4000,
      }),
    ).toBe('at-limit');
    expect(
      usageLevel('storage', { usage: 350, requests: 400, baseline: 400 }),
    ).toBe('above-requests');
    expect(usageLevel('cpu', { requests: 1, baseline: 1 })).toBe('none');
  });
});
