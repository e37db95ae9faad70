import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import { LinearProgress, makeStyles, Typography } from '@material-ui/core';
import {
  ClusterStatus,
  DatabaseStatus,
  EnvironmentStatus,
  HealthLevel,
} from '@codemie-gcp/plugin-codemie-common';
import { HealthChip } from '../HealthChip';
import { ResourceBar } from '../ResourceBar';
import {
  formatCpu,
  formatMemory,
  formatStorage,
  formatUsd,
  percentOf,
} from '../../format';

/** GKE cluster status → health. */
export function clusterHealth(status: string): HealthLevel {
  switch (status) {
    case 'RUNNING':
      return 'ok';
    case 'PROVISIONING':
    case 'RECONCILING':
      return 'pending';
    case 'DEGRADED':
      return 'warning';
    case 'ERROR':
    case 'STOPPING':
      return 'error';
    default:
      return 'unknown';
  }
}

/** Cloud SQL state → health. */
export function databaseHealth(state: string): HealthLevel {
  switch (state) {
    case 'RUNNABLE':
      return 'ok';
    case 'PENDING_CREATE':
    case 'MAINTENANCE':
      return 'pending';
    case 'SUSPENDED':
    case 'FAILED':
      return 'error';
    default:
      return 'unknown';
  }
}

const useStyles = makeStyles(theme => ({
  dl: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    margin: 0,
    alignItems: 'center',
  },
  dt: { color: theme.palette.text.secondary, fontSize: '0.875rem' },
  dd: {
    margin: 0,
    fontSize: '0.875rem',
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  mono: { fontFamily: 'monospace', fontSize: '0.8rem' },
  gauge: { height: 8, borderRadius: 4, marginTop: 4, maxWidth: 260 },
}));

const Row = ({ term, children }: { term: string; children: ReactNode }) => {
  const classes = useStyles();
  return (
    <>
      <dt className={classes.dt}>{term}</dt>
      <dd className={classes.dd}>{children}</dd>
    </>
  );
};

const Reserved = ({
  requested,
  allocatable,
  format,
  what,
}: {
  requested: number;
  allocatable: number;
  format: (n: number) => string;
  what: string;
}) => {
  const classes = useStyles();
  const pct = percentOf(requested, allocatable) ?? 0;
  // What the pods ask of what the nodes can give them.
  const text = `pods request ${format(requested)} of the ${format(allocatable)} the nodes offer (${pct}%)`;
  return (
    <>
      <span>{text}</span>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, pct)}
        color={pct >= 90 ? 'secondary' : 'primary'}
        className={classes.gauge}
        aria-label={`Node pool ${what}: ${text}`}
      />
    </>
  );
};

export interface ClusterSummaryProps {
  cluster: ClusterStatus;
  database?: DatabaseStatus;
  environment: EnvironmentStatus['environment'];
  totals: EnvironmentStatus['totals'];
  monthlyCostUsd?: number;
}

/** The environment's cluster, node pool, database and totals. */
export const ClusterSummary = ({
  cluster,
  database,
  environment,
  totals,
  monthlyCostUsd,
}: ClusterSummaryProps) => {
  const classes = useStyles();
  const shortName = cluster.name.split('/').pop() ?? cluster.name;
  const pool = cluster.nodePool;
  return (
    <section aria-label="Cluster summary">
      <InfoCard
        title="Cluster"
        subheader={`${environment.projectId} · ${cluster.location}`}
      >
        <dl className={classes.dl}>
          <Row term="GKE cluster">
            <HealthChip
              health={clusterHealth(cluster.status)}
              subject="Cluster"
            />{' '}
            <span className={classes.mono} title={cluster.name}>
              {shortName}
            </span>{' '}
            <Typography variant="caption" color="textSecondary">
              {cluster.status}
              {cluster.version && ` · ${cluster.version}`}
            </Typography>
          </Row>
          <Row term="Environment">
            {environment.tier} tier · {environment.option} option
            {environment.domain && ` · ${environment.domain}`}
          </Row>
          {pool && (
            <Row term="Node pool">
              <span className={classes.mono}>{pool.name}</span>: {pool.nodes} ×{' '}
              {pool.machineType}
              {pool.minNodes !== undefined &&
                pool.maxNodes !== undefined &&
                ` (autoscaling ${pool.minNodes}–${pool.maxNodes})`}
            </Row>
          )}
          <Row term="CPU reserved">
            <Reserved
              what="CPU"
              requested={cluster.requested.cpu}
              allocatable={cluster.allocatable.cpu}
              format={formatCpu}
            />
          </Row>
          <Row term="Memory reserved">
            <Reserved
              what="memory"
              requested={cluster.requested.memory}
              allocatable={cluster.allocatable.memory}
              format={formatMemory}
            />
          </Row>
          <Row term="CodeMie CPU">
            <ResourceBar
              unit="cpu"
              values={totals.cpu}
              subject="All components"
            />
          </Row>
          <Row term="CodeMie memory">
            <ResourceBar
              unit="memory"
              values={totals.memory}
              subject="All components"
            />
          </Row>
          {database && (
            <Row term="Cloud SQL">
              <HealthChip
                health={databaseHealth(database.state)}
                subject="Database"
              />{' '}
              <span className={classes.mono}>{database.instance}</span>{' '}
              <Typography
                variant="caption"
                color="textSecondary"
                component="span"
              >
                {database.state}
                {database.tier && ` · ${database.tier}`}
                {database.diskSizeGiB !== undefined &&
                  ` · disk ${
                    database.diskUsedGiB !== undefined
                      ? `${formatStorage(database.diskUsedGiB)} of `
                      : ''
                  }${formatStorage(database.diskSizeGiB)}`}
              </Typography>
            </Row>
          )}
          {monthlyCostUsd !== undefined && (
            <Row term="Estimated cost">{formatUsd(monthlyCostUsd)} / month</Row>
          )}
        </dl>
      </InfoCard>
    </section>
  );
};
