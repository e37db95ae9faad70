import { useMemo } from 'react';
import { useEntity } from '@backstage/plugin-catalog-react';
import { InfoCard, Link } from '@backstage/core-components';
import { Box, Divider, makeStyles, Typography } from '@material-ui/core';
import LaunchIcon from '@material-ui/icons/Launch';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { EnvironmentStatus } from '@codemie-gcp/plugin-codemie-common';
import {
  isCodemieEnvironment,
  missingCodemieAnnotations,
} from '../../conditions';
import { useCodemieStatus, useRefreshIntervalMs } from '../../hooks';
import { formatTime, formatUsd } from '../../format';
import { CopyableCommand } from '../CopyableCommand';
import { HealthChip } from '../HealthChip';
import {
  LoadingSkeleton,
  NotACodemieEnvironment,
  StatusError,
} from '../StatusStates';

const useStyles = makeStyles(theme => ({
  verdict: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    flexWrap: 'wrap',
  },
  reasons: { margin: theme.spacing(1, 0), paddingLeft: theme.spacing(3) },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
  },
  dt: { color: theme.palette.text.secondary, fontSize: '0.875rem' },
  dd: { margin: 0, fontSize: '0.875rem' },
  links: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0),
  },
  link: { display: 'inline-flex', alignItems: 'center', gap: 4 },
}));

const TOP_REASONS = 3;

const OverviewBody = ({
  status,
  lastUpdated,
}: {
  status: EnvironmentStatus;
  lastUpdated?: Date;
}) => {
  const classes = useStyles();
  const { verdict, cluster, access, environment } = status;
  const pool = cluster.nodePool;
  const links = [
    { title: 'CodeMie UI', url: access.codemieUrl },
    { title: 'Kibana', url: access.kibanaUrl },
    { title: 'Keycloak admin', url: access.keycloakAdminUrl },
  ].filter((l): l is { title: string; url: string } => Boolean(l.url));

  return (
    <>
      <div className={classes.verdict}>
        <HealthChip
          health={verdict.health}
          subject={environment.name}
          size="medium"
        />
        <Typography variant="subtitle1" component="p">
          <strong>
            {verdict.healthyComponents}/{verdict.enabledComponents}
          </strong>{' '}
          components healthy
        </Typography>
      </div>
      {verdict.reasons.length > 0 && (
        <ol className={classes.reasons} aria-label="Top reasons">
          {verdict.reasons.slice(0, TOP_REASONS).map(reason => (
            <li key={reason}>
              <Typography variant="body2">{reason}</Typography>
            </li>
          ))}
        </ol>
      )}
      <dl className={classes.facts}>
        {pool && (
          <>
            <dt className={classes.dt}>Node pool</dt>
            <dd className={classes.dd}>
              {pool.nodes} × {pool.machineType} ({pool.name})
            </dd>
          </>
        )}
        {status.monthlyCostUsd !== undefined && (
          <>
            <dt className={classes.dt}>Cost estimate</dt>
            <dd className={classes.dd}>
              {formatUsd(status.monthlyCostUsd)} / month
            </dd>
          </>
        )}
        <dt className={classes.dt}>Project</dt>
        <dd className={classes.dd}>
          {environment.projectId} · {environment.tier} tier ·{' '}
          {environment.option}
        </dd>
      </dl>
      {links.length > 0 && (
        <ul className={classes.links} aria-label="Environment links">
          {links.map(l => (
            <li key={l.title}>
              <Link to={l.url} className={classes.link}>
                {l.title}
                <LaunchIcon fontSize="inherit" aria-hidden />
              </Link>
            </li>
          ))}
        </ul>
      )}
      {(access.getCredentialsCommand || access.bastionSshCommand) && (
        <Box mt={1}>
          <Divider />
          <Box mt={1}>
            {environment.option === 'private' && access.bastionSshCommand && (
              <CopyableCommand
                label="Open the IAP tunnel through the bastion"
                command={access.bastionSshCommand}
              />
            )}
            {access.getCredentialsCommand && (
              <CopyableCommand
                label="Get cluster credentials"
                command={access.getCredentialsCommand}
              />
            )}
          </Box>
        </Box>
      )}
      <Typography variant="caption" color="textSecondary">
        {lastUpdated ? `Last updated ${formatTime(lastUpdated)}` : ''}
      </Typography>
    </>
  );
};

const OverviewStatus = ({ entityRef }: { entityRef: CompoundEntityRef }) => {
  const intervalMs = useRefreshIntervalMs();
  const { status, error, loading, lastUpdated } = useCodemieStatus(
    entityRef,
    intervalMs,
  );
  if (loading) return <LoadingSkeleton variant="card" />;
  if (!status) return <StatusError error={error ?? new Error('No status')} />;
  return <OverviewBody status={status} lastUpdated={lastUpdated} />;
};

/**
 * The CodeMie card for a `codemie-environment` entity's overview tab: verdict and top reasons,
 * components healthy, node pool and cost, links, and the access commands.
 *
 * @public
 */
export const EntityCodemieOverviewCard = () => {
  const { entity } = useEntity();
  const entityRef = useMemo(() => getCompoundEntityRef(entity), [entity]);
  let body;
  if (!isCodemieEnvironment(entity)) {
    body = <NotACodemieEnvironment />;
  } else {
    const missing = missingCodemieAnnotations(entity);
    body =
      missing.length > 0 ? (
        <NotACodemieEnvironment missingAnnotations={missing} />
      ) : (
        <OverviewStatus entityRef={entityRef} />
      );
  }
  return (
    <section aria-label="CodeMie environment">
      <InfoCard
        title="CodeMie"
        subheader={entity.metadata.title ?? entity.metadata.name}
      >
        {body}
      </InfoCard>
    </section>
  );
};
