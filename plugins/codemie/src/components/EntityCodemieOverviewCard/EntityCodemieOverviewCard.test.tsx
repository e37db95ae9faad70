import { act, fireEvent, screen, within } from '@testing-library/react';
import { demoEntity, demoStatus } from '../../__fixtures__/demoEnvironment';
import {
  renderForEntity,
  setupCodemieServer,
  statusHandler,
} from '../../__testUtils__/testing';
import { EntityCodemieOverviewCard } from './EntityCodemieOverviewCard';

describe('EntityCodemieOverviewCard', () => {
  const server = setupCodemieServer();

  it('shows the verdict, top reasons, components healthy, node pool, cost and links', async () => {
    server.use(
      statusHandler({
        ...demoStatus,
        verdict: {
          ...demoStatus.verdict,
          reasons: [
            ...demoStatus.verdict.reasons,
            'A fourth, less important reason',
          ],
        },
      }).handler,
    );
    await renderForEntity(<EntityCodemieOverviewCard />);
    const card = screen.getByRole('region', { name: 'CodeMie environment' });
    expect(
      await within(card).findByRole('img', {
        name: 'codemie-demo health: error',
      }),
    ).toBeInTheDocument();
    expect(card).toHaveTextContent('9/12 components healthy');
    const reasons = within(card).getByRole('list', { name: 'Top reasons' });
    expect(within(reasons).getAllByRole('listitem')).toHaveLength(3);
    expect(reasons).toHaveTextContent(/^MCP Connect is crash-looping/);
    expect(card).not.toHaveTextContent('A fourth, less important reason');
    expect(card).toHaveTextContent('3 × n2-standard-8 (codemie-pool)');
    expect(card).toHaveTextContent('$1,187.42 / month');

    const links = within(card).getByRole('list', { name: 'Environment links' });
    expect(within(links).getAllByRole('link')).toHaveLength(3);
    expect(
      within(links).getByRole('link', { name: /^CodeMie UI/ }),
    ).toHaveAttribute('href', 'https://codemie.demo.example.com');
    expect(
      within(links).getByRole('link', { name: /^Kibana/ }),
    ).toHaveAttribute('href', 'https://kibana.codemie.demo.example.com');
    expect(
      within(links).getByRole('link', { name: /^Keycloak admin/ }),
    ).toHaveAttribute(
      'href',
      'https://keycloak.codemie.demo.example.com/admin',
    );
  });

  it('offers the bastion and get-credentials commands of the private option, copyable', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
    server.use(statusHandler(demoStatus).handler);
    await renderForEntity(<EntityCodemieOverviewCard />);
    const copySsh = await screen.findByRole('button', {
      name: 'Copy: Open the IAP tunnel through the bastion',
    });
    expect(
      screen.getByText(demoStatus.access.bastionSshCommand!),
    ).toBeInTheDocument();
    expect(
      screen.getByText(demoStatus.access.getCredentialsCommand!),
    ).toBeInTheDocument();
    await act(async () => {
      fireEvent.click(copySsh);
    });
    expect(writeText).toHaveBeenCalledWith(demoStatus.access.bastionSshCommand);
    await act(async () => {
      fireEvent.click(
        screen.getByRole('button', { name: 'Copy: Get cluster credentials' }),
      );
    });
    expect(writeText).toHaveBeenLastCalledWith(
      demoStatus.access.getCredentialsCommand,
    );
  });

  it('shows no bastion command for the public option', async () => {
    server.use(
      statusHandler({
        ...demoStatus,
        environment: { ...demoStatus.environment, option: 'public' },
        access: { ...demoStatus.access, bastionSshCommand: undefined },
      }).handler,
    );
    await renderForEntity(<EntityCodemieOverviewCard />);
    expect(
      await screen.findByRole('button', {
        name: 'Copy: Get cluster credentials',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /bastion/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the unreachable cluster with its cause', async () => {
    server.use(
      statusHandler({
        status: 502,
        name: 'Error',
        message: 'GKE API: 403 PERMISSION_DENIED on container.clusters.get',
      }).handler,
    );
    await renderForEntity(<EntityCodemieOverviewCard />);
    expect(
      await screen.findByText('Error: Cluster unreachable'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/403 PERMISSION_DENIED on container.clusters.get/),
    ).toBeVisible();
  });

  it('names missing annotations', async () => {
    await renderForEntity(<EntityCodemieOverviewCard />, {
      entity: { ...demoEntity, metadata: { name: 'bare', annotations: {} } },
    });
    expect(
      screen.getAllByText(/codemie\.ai\/gcp-project/).length,
    ).toBeGreaterThan(0);
  });
});
