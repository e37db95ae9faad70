import { Fragment, useState } from 'react';
import {
  Box,
  IconButton,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import ReplayIcon from '@material-ui/icons/Replay';
import { ComponentStatus, PodStatus } from '@codemie-gcp/plugin-codemie-common';
import { HealthChip, HEALTH_ORDER } from '../HealthChip';
import { ResourceBar, ResourceBarLegend } from '../ResourceBar';
import { formatCpu, formatMemory, formatTime } from '../../format';

const useStyles = makeStyles(theme => ({
  row: { '& > td, & > th': { verticalAlign: 'top' } },
  head: { '& th': { whiteSpace: 'nowrap' } },
  disabled: { opacity: 0.55 },
  name: { fontWeight: theme.typography.fontWeightMedium as number },
  reason: {
    display: 'block',
    marginTop: theme.spacing(0.5),
    maxWidth: 260,
    color: theme.palette.text.secondary,
  },
  short: { color: theme.palette.warning.main, fontWeight: 600 },
  restarts: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 2,
    fontWeight: 600,
  },
  restartsWarning: { color: theme.palette.warning.main },
  restartsError: { color: theme.palette.error.main },
  detailCell: { paddingTop: 0, paddingBottom: 0, borderBottom: 'none' },
  detail: {
    margin: theme.spacing(0, 0, 2, 6),
    borderLeft: `3px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(1),
  },
  message: {
    display: 'block',
    maxWidth: 420,
    whiteSpace: 'normal',
    color: theme.palette.text.secondary,
  },
  mono: { fontFamily: 'monospace', fontSize: '0.8rem' },
}));

/** Worst first; disabled components last; the API's order otherwise. */
export function sortComponents(
  components: ComponentStatus[],
): ComponentStatus[] {
  return components
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        Number(!a.c.enabled) - Number(!b.c.enabled) ||
        (HEALTH_ORDER[a.c.health] ?? 9) - (HEALTH_ORDER[b.c.health] ?? 9) ||
        a.i - b.i,
    )
    .map(({ c }) => c);
}

const Restarts = ({ count, subject }: { count: number; subject: string }) => {
  const classes = useStyles();
  if (count === 0) {
    return (
      <span aria-label={`${subject}: no restarts`} role="img">
        0
      </span>
    );
  }
  return (
    <span
      role="img"
      aria-label={`${subject}: ${count} ${count === 1 ? 'restart' : 'restarts'}`}
      data-restarting="true"
      className={`${classes.restarts} ${
        count >= 5 ? classes.restartsError : classes.restartsWarning
      }`}
    >
      <ReplayIcon fontSize="inherit" aria-hidden />
      {count}
    </span>
  );
};

const PodResource = ({
  values,
  format,
}: {
  values: PodStatus['cpu'];
  format: (n: number) => string;
}) => (
  <Typography variant="body2" component="span">
    {values.usage === undefined ? 'no metrics' : `use ${format(values.usage)}`}
    <Typography
      variant="caption"
      color="textSecondary"
      component="span"
      display="block"
    >
      req {format(values.requests)}
      {values.limits !== undefined && ` · lim ${format(values.limits)}`}
    </Typography>
  </Typography>
);

const PodRows = ({ component }: { component: ComponentStatus }) => {
  const classes = useStyles();
  return (
    <Table size="small" aria-label={`Pods of ${component.displayName}`}>
      <TableHead className={classes.head}>
        <TableRow>
          <TableCell>Pod</TableCell>
          <TableCell>State</TableCell>
          <TableCell>Ready</TableCell>
          <TableCell>Restarts</TableCell>
          <TableCell>CPU</TableCell>
          <TableCell>Memory</TableCell>
          <TableCell>Node</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {component.podRows.map(pod => (
          <TableRow key={pod.name} className={classes.row} data-pod={pod.name}>
            <TableCell>
              <span className={classes.mono}>{pod.name}</span>
              <Typography
                variant="caption"
                color="textSecondary"
                display="block"
              >
                {pod.namespace}
                {pod.startedAt && ` · started ${formatTime(pod.startedAt)}`}
              </Typography>
            </TableCell>
            <TableCell>
              <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                <HealthChip health={pod.health} subject={pod.name} />
                <Typography variant="body2" component="span">
                  {pod.state}
                  {pod.phase !== pod.state &&
                    pod.phase !== 'Running' &&
                    ` (${pod.phase})`}
                </Typography>
              </Box>
              {pod.message && (
                <Typography variant="caption" className={classes.message}>
                  {pod.message}
                </Typography>
              )}
            </TableCell>
            <TableCell>{pod.ready ? 'yes' : 'no'}</TableCell>
            <TableCell>
              <Restarts count={pod.restarts} subject={pod.name} />
            </TableCell>
            <TableCell>
              <PodResource values={pod.cpu} format={formatCpu} />
            </TableCell>
            <TableCell>
              <PodResource values={pod.memory} format={formatMemory} />
            </TableCell>
            <TableCell>
              {pod.node ? (
                <>
                  <span className={classes.mono}>{pod.node}</span>
                  {pod.zone && (
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      display="block"
                    >
                      {pod.zone}
                    </Typography>
                  )}
                </>
              ) : (
                <Typography variant="body2" color="textSecondary">
                  not scheduled
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

export interface ComponentsTableProps {
  components: ComponentStatus[];
  /** Components whose pod rows start expanded. */
  initiallyExpanded?: string[];
}

/**
 * The components of the environment, worst first: health, pods, restarts, and CPU, memory and
 * storage as three-way bars. Each row expands to its pods.
 */
export const ComponentsTable = ({
  components,
  initiallyExpanded = [],
}: ComponentsTableProps) => {
  const classes = useStyles();
  const [expanded, setExpanded] = useState<Set<string>>(
    () => new Set(initiallyExpanded),
  );
  const toggle = (id: string) =>
    setExpanded(prev => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <Box mb={1}>
        <ResourceBarLegend />
      </Box>
      <TableContainer>
        <Table size="small" aria-label="CodeMie components">
          <TableHead className={classes.head}>
            <TableRow>
              <TableCell padding="checkbox">
                <span style={{ position: 'absolute', left: -10000 }}>Pods</span>
              </TableCell>
              <TableCell>Component</TableCell>
              <TableCell>Health</TableCell>
              <TableCell>Pods ready</TableCell>
              <TableCell>Restarts</TableCell>
              <TableCell>CPU</TableCell>
              <TableCell>Memory</TableCell>
              <TableCell>Storage</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {sortComponents(components).map(c => {
              const isOpen = expanded.has(c.id);
              const detailId = `codemie-pods-${c.id}`;
              const short =
                c.workloadKind !== 'Managed' && c.pods.ready < c.pods.expected;
              return (
                <Fragment key={c.id}>
                  <TableRow
                    className={`${classes.row} ${c.enabled ? '' : classes.disabled}`}
                    data-component={c.id}
                    data-health={c.health}
                  >
                    <TableCell padding="checkbox">
                      {c.podRows.length > 0 && (
                        <IconButton
                          size="small"
                          aria-label={`${isOpen ? 'Hide' : 'Show'} pods of ${c.displayName}`}
                          aria-expanded={isOpen}
                          aria-controls={isOpen ? detailId : undefined}
                          onClick={() => toggle(c.id)}
                        >
                          {isOpen ? (
                            <KeyboardArrowDownIcon />
                          ) : (
                            <KeyboardArrowRightIcon />
                          )}
                        </IconButton>
                      )}
                    </TableCell>
                    <TableCell component="th" scope="row" role="rowheader">
                      <Typography variant="body2" className={classes.name}>
                        {c.displayName}
                      </Typography>
                      <Typography variant="caption" color="textSecondary">
                        {c.workloadKind === 'Managed'
                          ? 'Cloud SQL'
                          : c.workloadKind}
                        {c.namespace && ` · ${c.namespace}`}
                        {!c.enabled && ' · not enabled'}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      <HealthChip health={c.health} subject={c.displayName} />
                      {c.reasons.length > 0 && (
                        <Typography
                          variant="caption"
                          className={classes.reason}
                        >
                          {c.reasons.join('; ')}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      {c.workloadKind === 'Managed' ? (
                        <Typography variant="body2" color="textSecondary">
                          managed
                        </Typography>
                      ) : (
                        <span
                          role="img"
                          aria-label={`${c.displayName}: ${c.pods.ready} of ${c.pods.expected} pods ready`}
                          className={short ? classes.short : undefined}
                        >
                          {c.pods.ready}/{c.pods.expected}
                        </span>
                      )}
                    </TableCell>
                    <TableCell>
                      {c.workloadKind === 'Managed' ? (
                        '—'
                      ) : (
                        <Restarts
                          count={c.pods.restarts}
                          subject={c.displayName}
                        />
                      )}
                    </TableCell>
                    <TableCell>
                      <ResourceBar
                        unit="cpu"
                        values={c.cpu}
                        subject={c.displayName}
                      />
                    </TableCell>
                    <TableCell>
                      <ResourceBar
                        unit="memory"
                        values={c.memory}
                        subject={c.displayName}
                      />
                    </TableCell>
                    <TableCell>
                      {c.storage ? (
                        <ResourceBar
                          unit="storage"
                          subject={c.displayName}
                          values={{
                            usage: c.storage.usedGiB,
                            requests: c.storage.capacityGiB,
                            baseline: c.storage.baselineGiB,
                          }}
                        />
                      ) : (
                        <Typography variant="body2" color="textSecondary">
                          —
                        </Typography>
                      )}
                    </TableCell>
                  </TableRow>
                  {isOpen && (
                    <TableRow id={detailId}>
                      <TableCell colSpan={8} className={classes.detailCell}>
                        <div className={classes.detail}>
                          <PodRows component={c} />
                        </div>
                      </TableCell>
                    </TableRow>
                  )}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
};
