import { InfoCard } from '@backstage/core-components';
import { Box, Chip, makeStyles, Typography } from '@material-ui/core';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';
import TrendingDownIcon from '@material-ui/icons/TrendingDown';
import { SizingAdvice } from '@codemie-gcp/plugin-codemie-common';
import {
  formatCostDelta,
  formatCpu,
  formatMemory,
  formatStorage,
} from '../../format';

const CHANGE_LABELS: Record<SizingAdvice['change'], string> = {
  'add-replicas': 'Add replicas',
  'raise-cpu': 'Raise CPU',
  'raise-memory': 'Raise memory',
  'grow-storage': 'Grow storage',
  'lower-cpu': 'Lower CPU',
  'lower-memory': 'Lower memory',
};

/** "1 GiB → 2 GiB", "2 → 3 replicas", "1 core → 250m", "200 GiB → 300 GiB". */
export function formatAdviceChange(advice: SizingAdvice): string {
  switch (advice.change) {
    case 'add-replicas':
      return `${advice.from} → ${advice.to} replicas`;
    case 'raise-cpu':
    case 'lower-cpu':
      return `${formatCpu(advice.from)} → ${formatCpu(advice.to)}`;
    case 'raise-memory':
    case 'lower-memory':
      return `${formatMemory(advice.from)} → ${formatMemory(advice.to)}`;
    default:
      return `${formatStorage(advice.from)} → ${formatStorage(advice.to)}`;
  }
}

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1.5, 0),
    '&:not(:last-child)': {
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  change: { fontFamily: 'monospace', fontWeight: 600 },
  costUp: { color: theme.palette.warning.main, fontWeight: 600 },
  costDown: { color: theme.palette.success.main, fontWeight: 600 },
}));

export interface AdviceListProps {
  advice: SizingAdvice[];
  /** Why there is no advice (from the API). */
  note?: string;
  componentNames?: Record<string, string>;
}

/** Sizing recommendations from usage history, each with the value to set and its cost. */
export const AdviceList = ({
  advice,
  note,
  componentNames = {},
}: AdviceListProps) => {
  const classes = useStyles();
  const net = advice.reduce((a, x) => a + x.monthlyCostDeltaUsd, 0);
  return (
    <section aria-label="Sizing advice">
      <InfoCard
        title="Sizing advice"
        subheader={
          advice.length
            ? `${advice.length} ${advice.length === 1 ? 'change' : 'changes'}, net ${formatCostDelta(
                Math.round(net * 100) / 100,
              )}`
            : undefined
        }
      >
        {advice.length === 0 ? (
          <Typography variant="body2">
            {note ?? 'No sizing changes suggested: use fits the requests.'}
          </Typography>
        ) : (
          <ul className={classes.list}>
            {advice.map((a, index) => {
              const up = a.monthlyCostDeltaUsd > 0;
              const TrendIcon = up ? TrendingUpIcon : TrendingDownIcon;
              return (
                <li
                  key={`${a.component}-${a.change}-${index}`}
                  className={classes.item}
                  aria-label={a.summary}
                >
                  <div className={classes.row}>
                    <Chip
                      size="small"
                      label={CHANGE_LABELS[a.change] ?? a.change}
                    />
                    <Typography variant="subtitle2" component="span">
                      {componentNames[a.component] ?? a.component}
                    </Typography>
                    <Typography
                      variant="body2"
                      component="span"
                      className={classes.change}
                    >
                      {formatAdviceChange(a)}
                    </Typography>
                    <Box flexGrow={1} />
                    <Typography
                      variant="body2"
                      component="span"
                      className={up ? classes.costUp : classes.costDown}
                    >
                      <TrendIcon fontSize="inherit" aria-hidden />{' '}
                      {formatCostDelta(a.monthlyCostDeltaUsd)}
                    </Typography>
                  </div>
                  <Typography variant="body2">{a.summary}</Typography>
                  <Typography variant="caption" color="textSecondary">
                    {a.evidence}
                  </Typography>
                </li>
              );
            })}
          </ul>
        )}
        {advice.length > 0 && note && (
          <Typography variant="caption" color="textSecondary">
            {note}
          </Typography>
        )}
      </InfoCard>
    </section>
  );
};
