/*
 * Dev page: `npm start` in this package (backstage-cli package start) serves the CodeMie tab
 * and overview card for the demo environment, with no backend needed.
 *
 * Pages:
 * - /codemie              the tab against the fixture (12 components, one crash-looping, one Pending)
 * - /codemie-card         the overview card against the fixture
 * - /codemie-no-metrics   before metrics-server reports
 * - /codemie-unreachable  the status API answering 502 (cluster unreachable)
 * - /codemie-live         the real client: the codemie backend on backend.baseUrl (sandbox)
 * - /codemie-sizing       the template's sizing preview field against the fixture
 *                         (concurrent users above 5000 answer 400, as the backend does)
 */
import { ReactNode, useState } from 'react';
import { createDevApp } from '@backstage/dev-utils';
import {
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Content, Header, Page } from '@backstage/core-components';
import { Grid, TextField } from '@material-ui/core';
import { ResponseError } from '@backstage/errors';
import { CodemieApi, codemieApiRef, CodemieClient } from '../src/api';
import {
  demoEntity,
  demoHistory,
  demoStatus,
  demoStatusWithoutMetrics,
} from '../src/__fixtures__/demoEnvironment';
import { demoPlanPreview } from '../src/__fixtures__/demoPlanPreview';
import { EntityCodemieContent } from '../src/components/EntityCodemieContent';
import { SizingPreview } from '../src/components/CodemieSizingPreview';
import { EntityCodemieOverviewCard } from '../src/components/EntityCodemieOverviewCard';
import { codemiePlugin } from '../src/plugin';

/** Answers from the fixture, or from the real backend on /codemie-live; picks by page path. */
class DevCodemieApi implements CodemieApi {
  constructor(private readonly live: CodemieApi) {}

  private scenario() {
    return window.location.pathname.split('/').pop() ?? '';
  }

  async getStatus(ref: Parameters<CodemieApi['getStatus']>[0]) {
    const scenario = this.scenario();
    if (scenario === 'codemie-live') return this.live.getStatus(ref);
    await new Promise(r => setTimeout(r, 400));
    if (scenario === 'codemie-unreachable') {
      const body = {
        error: {
          name: 'ServiceUnavailableError',
          message:
            'Cannot reach GKE cluster projects/codemie-demo/locations/europe-west4/clusters/codemie-demo: connect ETIMEDOUT 10.20.0.2:443 (private endpoint; is the portal on the VPC?)',
        },
        response: { statusCode: 502 },
      };
      throw await ResponseError.fromResponse(
        new Response(JSON.stringify(body), {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'Content-Type': 'application/json' },
        }),
      );
    }
    const status =
      scenario === 'codemie-no-metrics' ? demoStatusWithoutMetrics : demoStatus;
    return { ...status, readAt: new Date().toISOString() };
  }

  async getHistory(
    ref: Parameters<CodemieApi['getHistory']>[0],
    window: Parameters<CodemieApi['getHistory']>[1] = '7d',
  ) {
    if (this.scenario() === 'codemie-live')
      return this.live.getHistory(ref, window);
    return demoHistory(window);
  }

  async previewResize(request: Parameters<CodemieApi['previewResize']>[0]) {
    // The dev app has no recorded environments: only the live backend plans a resize.
    return this.live.previewResize(request);
  }

  async getEnvironment(projectId: string, name: string) {
    if (this.scenario() === 'codemie-live')
      return this.live.getEnvironment(projectId, name);
    // In the dev app, `taken` is an existing environment in every project.
    return name === 'taken'
      ? {
          projectId,
          name,
          entityRef: `resource:${projectId}/${name}`,
          owner: 'group:default/platform-engineering',
          state: 'ready',
          updatedAt: new Date().toISOString(),
        }
      : undefined;
  }

  async previewPlan(request: Parameters<CodemieApi['previewPlan']>[0]) {
    if (this.scenario() === 'codemie-live')
      return this.live.previewPlan(request);
    await new Promise(r => setTimeout(r, 300));
    if (request.sizing.concurrentUsers > 5000) {
      const body = {
        error: {
          name: 'InputError',
          message: `sizing.concurrentUsers: ${request.sizing.concurrentUsers} is above the largest tier (5000 users)`,
        },
        response: { statusCode: 400 },
      };
      throw await ResponseError.fromResponse(
        new Response(JSON.stringify(body), {
          status: 400,
          statusText: 'Bad Request',
          headers: { 'Content-Type': 'application/json' },
        }),
      );
    }
    const scale = request.sizing.concurrentUsers / 100;
    return {
      ...demoPlanPreview,
      monthlyCostUsd:
        Math.round(demoPlanPreview.monthlyCostUsd * scale * 100) / 100,
    };
  }
}

/** The sizing preview with a users input standing in for the template's form. */
const SizingPreviewDemo = () => {
  const [users, setUsers] = useState(100);
  return (
    <Page themeId="tool">
      <Header
        title="Sizing preview"
        subtitle="ui:field: CodemieSizingPreview"
      />
      <Content>
        <TextField
          label="Concurrent users"
          type="number"
          value={users}
          onChange={e => setUsers(Number(e.target.value))}
        />
        <SizingPreview
          request={{
            region: 'europe-west1',
            option: 'private',
            regional: true,
            sizing: {
              concurrentUsers: users,
              vectorDatasourceGiB: 20,
              logRetentionDays: 14,
              llmProxyType: 'litellm',
              includeNats: false,
            },
          }}
        />
      </Content>
    </Page>
  );
};

const EntityPage = ({
  title,
  children,
}: {
  title: string;
  children: ReactNode;
}) => (
  <EntityProvider entity={demoEntity}>
    <Page themeId="tool">
      <Header title={title} subtitle="resource:default/codemie-demo" />
      <Content>{children}</Content>
    </Page>
  </EntityProvider>
);

createDevApp()
  .registerPlugin(codemiePlugin)
  .registerApi(
    createApiFactory({
      api: codemieApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DevCodemieApi(new CodemieClient({ discoveryApi, fetchApi })),
    }),
  )
  .addPage({
    path: '/codemie',
    title: 'CodeMie tab',
    element: (
      <EntityPage title="CodeMie demo">
        <EntityCodemieContent />
      </EntityPage>
    ),
  })
  .addPage({
    path: '/codemie-card',
    title: 'Overview card',
    element: (
      <EntityPage title="CodeMie demo: overview">
        <Grid container>
          <Grid item xs={12} md={6}>
            <EntityCodemieOverviewCard />
          </Grid>
        </Grid>
      </EntityPage>
    ),
  })
  .addPage({
    path: '/codemie-no-metrics',
    title: 'No metrics yet',
    element: (
      <EntityPage title="CodeMie demo: no metrics yet">
        <EntityCodemieContent />
      </EntityPage>
    ),
  })
  .addPage({
    path: '/codemie-unreachable',
    title: 'Unreachable',
    element: (
      <EntityPage title="CodeMie demo: cluster unreachable">
        <EntityCodemieContent />
      </EntityPage>
    ),
  })
  .addPage({
    path: '/codemie-live',
    title: 'Live backend',
    element: (
      <EntityPage title="CodeMie demo: live backend">
        <EntityCodemieContent />
      </EntityPage>
    ),
  })
  .addPage({
    path: '/codemie-sizing',
    title: 'Sizing preview',
    element: <SizingPreviewDemo />,
  })
  .render();
