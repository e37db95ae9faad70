import {
  Box,
  IconButton,
  makeStyles,
  Paper,
  Tooltip,
  Typography,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { EnvironmentStatus } from '@codemie-gcp/plugin-codemie-common';
import { HealthChip } from '../HealthChip';
import { formatTime } from '../../format';

const useStyles = makeStyles(theme => ({
  paper: { padding: theme.spacing(2) },
  top: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
  },
  reasons: { margin: theme.spacing(1, 0, 0), paddingLeft: theme.spacing(3) },
  notDeployed: { fontWeight: theme.typography.fontWeightRegular as number },
}));

export interface StatusHeaderProps {
  status: EnvironmentStatus;
  lastUpdated?: Date;
  refreshing: boolean;
  intervalMs: number;
  onRefresh: () => void;
}

/** The verdict, its reasons, x of y healthy, and the refresh controls. */
export const StatusHeader = ({
  status,
  lastUpdated,
  refreshing,
  intervalMs,
  onRefresh,
}: StatusHeaderProps) => {
  const classes = useStyles();
  const { verdict } = status;
  // The table lists every component of the seed; say which of them this environment leaves out.
  const notDeployed = status.components
    .filter(c => !c.enabled)
    .map(c => c.displayName);
  return (
    <Paper
      className={classes.paper}
      component="section"
      aria-label="Environment verdict"
    >
      <div className={classes.top}>
        <HealthChip
          health={verdict.health}
          subject={status.environment.name}
          size="medium"
        />
        <Typography variant="h6" component="h2">
          {verdict.healthyComponents} of {verdict.enabledComponents} components
          healthy
          {notDeployed.length > 0 && (
            <Typography
              component="span"
              variant="body2"
              color="textSecondary"
              className={classes.notDeployed}
            >
              {' '}
              · not deployed: {notDeployed.join(', ')}
            </Typography>
          )}
        </Typography>
        <Box flexGrow={1} />
        <Typography variant="body2" color="textSecondary" aria-live="polite">
          {lastUpdated
            ? `Last updated ${formatTime(lastUpdated)}`
            : 'Not updated yet'}
          {' · '}
          <span title={status.readAt}>
            cluster read {formatTime(status.readAt)}
          </span>
          {' · '}
          {intervalMs
            ? `auto-refresh every ${Math.round(intervalMs / 1000)} s`
            : 'auto-refresh off'}
        </Typography>
        <Tooltip title="Refresh now">
          <span>
            <IconButton
              aria-label="Refresh now"
              onClick={onRefresh}
              disabled={refreshing}
            >
              <RefreshIcon />
            </IconButton>
          </span>
        </Tooltip>
      </div>
      {verdict.reasons.length > 0 && (
        <ol className={classes.reasons} aria-label="Top reasons">
          {verdict.reasons.map(reason => (
            <li key={reason}>
              <Typography variant="body2">{reason}</Typography>
            </li>
          ))}
        </ol>
      )}
    </Paper>
  );
};
