import { useMemo, useState } from 'react';
import { useEntity } from '@backstage/plugin-catalog-react';
import { InfoCard, WarningPanel } from '@backstage/core-components';
import { Grid } from '@material-ui/core';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import {
  isCodemieEnvironment,
  missingCodemieAnnotations,
} from '../../conditions';
import {
  useCodemieStatus,
  useRefreshIntervalMs,
  useResizeLinks,
} from '../../hooks';
import type { Entity } from '@backstage/catalog-model';
import { classifyError } from '../../api/errors';
import { AdviceList } from '../AdviceList';
import { ClusterSummary } from '../ClusterSummary';
import { ComponentsTable } from '../ComponentsTable';
import { CostLines } from '../CostLines';
import { ProblemsPanel } from '../ProblemsPanel';
import {
  LoadingSkeleton,
  NotACodemieEnvironment,
  StatusError,
} from '../StatusStates';
import { formatTime } from '../../format';
import { StatusHeader } from './StatusHeader';
import { UsagePanel } from './UsagePanel';

/**
 * Props of {@link EntityCodemieContent}.
 *
 * @public
 */
export interface EntityCodemieContentProps {
  /** Fixed chart width, for tests and screenshots; charts are responsive otherwise. */
  chartWidth?: number;
}

const EnvironmentStatusView = ({
  entity,
  entityRef,
  chartWidth,
}: {
  entity: Entity;
  entityRef: CompoundEntityRef;
  chartWidth?: number;
}) => {
  const intervalMs = useRefreshIntervalMs();
  const resize = useResizeLinks(entity);
  const { status, error, loading, refreshing, lastUpdated, refresh } =
    useCodemieStatus(entityRef, intervalMs);
  const [refreshKey, setRefreshKey] = useState(0);

  if (loading) return <LoadingSkeleton />;
  if (!status) return <StatusError error={error ?? new Error('No status')} />;

  const componentNames = Object.fromEntries(
    status.components.map(c => [c.id, c.displayName]),
  );
  const hasErrors = status.problems.some(p => p.severity === 'error');
  const problems = status.problems.length > 0 && (
    <Grid item xs={12}>
      <ProblemsPanel
        problems={status.problems}
        componentNames={componentNames}
      />
    </Grid>
  );
  const onRefresh = () => {
    refresh();
    setRefreshKey(k => k + 1);
  };

  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <StatusHeader
          status={status}
          lastUpdated={lastUpdated}
          refreshing={refreshing}
          intervalMs={intervalMs}
          onRefresh={onRefresh}
        />
      </Grid>
      {error && (
        <Grid item xs={12}>
          <WarningPanel
            defaultExpanded
            severity="warning"
            title={`Refresh failed; showing the status from ${
              lastUpdated ? formatTime(lastUpdated) : 'earlier'
            }`}
            message={classifyError(error).message}
          />
        </Grid>
      )}
      {!status.metricsAvailable && (
        <Grid item xs={12}>
          <WarningPanel
            defaultExpanded
            severity="info"
            title="No metrics yet"
            message="The cluster's metrics API (metrics.k8s.io) has not answered yet, so live use is missing from the bars; requests and baselines are shown. Metrics usually appear a minute or two after the pods start."
          />
        </Grid>
      )}
      {hasErrors && problems}
      <Grid item xs={12}>
        <InfoCard
          title="Components"
          subheader={`${status.verdict.healthyComponents} of ${status.verdict.enabledComponents} healthy`}
        >
          <ComponentsTable components={status.components} />
        </InfoCard>
      </Grid>
      {!hasErrors && problems}
      <Grid item xs={12} md={6}>
        <AdviceList
          advice={status.advice}
          note={status.adviceNote}
          componentNames={componentNames}
          historyOrigin={status.historyOrigin}
          resizeLinkOf={resize.linkOf}
          resizeLink={resize.link}
          resizeRefusal={resize.refusal}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <ClusterSummary
          cluster={status.cluster}
          database={status.database}
          environment={status.environment}
          totals={status.totals}
          monthlyCostUsd={status.monthlyCostUsd}
        />
      </Grid>
      {status.cost && (
        <Grid item xs={12}>
          <InfoCard
            title="Monthly cost"
            subheader={`Estimate from Google Cloud list prices of ${status.cost.pricesDate}: the same lines as the sizing preview`}
          >
            <CostLines
              lines={status.cost.lines}
              totalMonthlyUsd={status.cost.totalMonthlyUsd}
              range={{
                ...status.cost.rangeUsd,
                minNodes: status.cost.nodes.min,
                maxNodes: status.cost.nodes.max,
              }}
            />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        <UsagePanel
          entityRef={entityRef}
          components={status.components}
          refreshKey={refreshKey}
          chartWidth={chartWidth}
        />
      </Grid>
    </Grid>
  );
};

/**
 * The CodeMie tab: verdict, problems with their fixes, the components table, sizing advice,
 * cluster summary and usage history of a `codemie-environment` entity.
 *
 * @public
 */
export const EntityCodemieContent = (props: EntityCodemieContentProps) => {
  const { entity } = useEntity();
  const entityRef = useMemo(() => getCompoundEntityRef(entity), [entity]);
  if (!isCodemieEnvironment(entity)) return <NotACodemieEnvironment />;
  const missing = missingCodemieAnnotations(entity);
  if (missing.length > 0)
    return <NotACodemieEnvironment missingAnnotations={missing} />;
  return (
    <EnvironmentStatusView
      entity={entity}
      entityRef={entityRef}
      chartWidth={props.chartWidth}
    />
  );
};
