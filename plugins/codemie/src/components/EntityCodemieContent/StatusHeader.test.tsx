import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { demoStatus } from '../../__fixtures__/demoEnvironment';
import { StatusHeader } from './StatusHeader';

describe('StatusHeader', () => {
  it('says which of the listed components this environment does not deploy', async () => {
    const status = {
      ...demoStatus,
      components: demoStatus.components.map(c =>
        c.id === 'nats' ? { ...c, enabled: false } : c,
      ),
    };
    await renderInTestApp(
      <StatusHeader
        status={status}
        refreshing={false}
        intervalMs={30_000}
        onRefresh={() => {}}
      />,
    );
    expect(
      screen.getByRole('region', { name: 'Environment verdict' }),
    ).toHaveTextContent(/components healthy · not deployed: NATS/);
  });

  it('names nothing when every component is deployed', async () => {
    await renderInTestApp(
      <StatusHeader
        status={demoStatus}
        refreshing={false}
        intervalMs={30_000}
        onRefresh={() => {}}
      />,
    );
    expect(
      screen.getByRole('region', { name: 'Environment verdict' }),
    ).not.toHaveTextContent('not deployed');
  });
});
