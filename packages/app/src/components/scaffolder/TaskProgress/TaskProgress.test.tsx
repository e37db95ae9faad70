import { render, screen, within } from '@testing-library/react';
import { TaskProgressProps, TaskProgress } from './TaskProgress';
import { stepLogLines } from './stepLogLines';

const at = '2026-11-29T23:20:55.000Z';
const info = (text: string) => `${at} \u001b[32minfo\u001b[39m: ${text}`;

function stream(
  overrides: Partial<TaskProgressProps['stream']> = {},
): TaskProgressProps['stream'] {
  return {
    completed: false,
    task: {
      id: 't1',
      spec: {
        steps: [
          {
            id: 'plan',
            name: 'Plan sizing, node pool and cost',
            action: 'codemie:plan',
          },
          {
            id: 'provision',
            name: 'Provision Google Cloud',
            action: 'codemie:gcp:provision',
          },
          { id: 'deploy', name: 'Deploy CodeMie', action: 'codemie:deploy' },
        ],
      },
    } as any,
    steps: {
      plan: { id: 'plan', status: 'completed' },
      provision: { id: 'provision', status: 'processing' },
      deploy: { id: 'deploy', status: 'open' },
    },
    stepLogs: {
      plan: [info('26 Google Cloud resources planned')],
      provision: [
        `${at} Beginning step Provision Google Cloud`,
        info('VPC network demo-vpc: creating'),
        info('VPC network demo-vpc: created'),
        `${at} \u001b[33mwarn\u001b[39m: Cloud SQL instance demo-pg: PENDING, 120 s elapsed`,
      ],
      deploy: [],
    },
    ...overrides,
  };
}

describe('TaskProgress', () => {
  it('shows the running step and its log lines as they came, without timestamps or colour codes', () => {
    render(<TaskProgress stream={stream()} />);
    const region = screen.getByRole('region', {
      name: 'Progress: Provision Google Cloud',
    });
    expect(
      within(region).getByRole('heading', {
        name: 'Step 2 of 3: Provision Google Cloud',
      }),
    ).toBeInTheDocument();
    const log = within(region).getByRole('log', {
      name: 'Log of Provision Google Cloud',
    });
    expect(
      within(log)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'VPC network demo-vpc: creating',
      'VPC network demo-vpc: created',
      'warn: Cloud SQL instance demo-pg: PENDING, 120 s elapsed',
    ]);
    // Only the running step's lines: nothing from the plan step.
    expect(region).not.toHaveTextContent('resources planned');
  });

  it('follows the step that is running now', () => {
    const { rerender } = render(<TaskProgress stream={stream()} />);
    rerender(
      <TaskProgress
        stream={stream({
          steps: {
            plan: { id: 'plan', status: 'completed' },
            provision: { id: 'provision', status: 'completed' },
            deploy: { id: 'deploy', status: 'processing' },
          },
          stepLogs: {
            ...stream().stepLogs,
            deploy: [info('codemie-api 0/1 ready')],
          },
        })}
      />,
    );
    expect(
      screen.getByRole('heading', { name: 'Step 3 of 3: Deploy CodeMie' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('log')).toHaveTextContent('codemie-api 0/1 ready');
  });

  it('says the step is starting before its first line arrives', () => {
    render(
      <TaskProgress
        stream={stream({ stepLogs: { ...stream().stepLogs, provision: [] } })}
      />,
    );
    expect(screen.getByRole('region')).toHaveTextContent('Starting…');
    expect(screen.queryByRole('log')).not.toBeInTheDocument();
  });

  it('renders nothing once the task has ended or before any step runs', () => {
    const { container, rerender } = render(
      <TaskProgress stream={stream({ completed: true })} />,
    );
    expect(container).toBeEmptyDOMElement();
    rerender(
      <TaskProgress
        stream={stream({
          steps: {
            plan: { id: 'plan', status: 'open' },
            provision: { id: 'provision', status: 'open' },
            deploy: { id: 'deploy', status: 'open' },
          },
        })}
      />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});

describe('stepLogLines', () => {
  it('splits off the level and drops the scaffolder’s step markers and empty lines', () => {
    expect(
      stepLogLines([
        `${at} Beginning step Deploy CodeMie`,
        `${at} \u001b[31merror\u001b[39m: keycloak: readiness probe failing`,
        `${at} \u001b[32minfo\u001b[39m:   `,
        `${at} Finished step Deploy CodeMie`,
        'no timestamp: kept as it is',
      ]),
    ).toEqual([
      { level: 'error', text: 'keycloak: readiness probe failing' },
      { text: 'no timestamp: kept as it is' },
    ]);
  });
});
