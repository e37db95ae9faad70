import { Box, makeStyles, Typography } from '@material-ui/core';
import { formatResource, percentOf, ResourceUnit } from '../../format';

/** The three figures a bar compares, in the unit's contract unit (millicores, MiB, GiB). */
export interface ResourceBarValues {
  /** Live use; undefined when there are no metrics. */
  usage?: number;
  /** Requests (for storage: the provisioned size). */
  requests: number;
  /** Limits, when every container sets one (named in the accessible label only). */
  limits?: number;
  /** The tier's plan. */
  baseline: number;
}

export interface ResourceBarProps {
  unit: ResourceUnit;
  values: ResourceBarValues;
  /** What is measured, for the accessible name: "CodeMie API". */
  subject: string;
  /** Narrow layout for nested rows. */
  dense?: boolean;
}

const RESOURCE_NAMES: Record<ResourceUnit, string> = {
  cpu: 'CPU',
  memory: 'memory',
  storage: 'storage',
};

const REQUESTS_NAMES: Record<ResourceUnit, string> = {
  cpu: 'requests',
  memory: 'requests',
  storage: 'provisioned',
};

const REQUESTS_SHORT: Record<ResourceUnit, string> = {
  cpu: 'req',
  memory: 'req',
  storage: 'size',
};

export type UsageLevel = 'none' | 'normal' | 'above-requests' | 'at-limit';

/**
 * How worrying the use is: above requests (the scheduler did not reserve it, so it can be
 * throttled or evicted), or at 95% of the limit (CPU throttling, OOM kill) or of the volume.
 */
export function usageLevel(
  unit: ResourceUnit,
  v: ResourceBarValues,
): UsageLevel {
  if (v.usage === undefined) return 'none';
  const ceiling = unit === 'storage' ? v.requests : v.limits;
  if (ceiling && v.usage >= ceiling * 0.95) return 'at-limit';
  if (unit === 'storage' && v.requests && v.usage >= v.requests * 0.85)
    return 'above-requests';
  if (unit !== 'storage' && v.usage > v.requests) return 'above-requests';
  return 'normal';
}

/** The sentence a screen reader hears; every number the bar draws is in it. */
export function resourceBarLabel(
  unit: ResourceUnit,
  v: ResourceBarValues,
  subject: string,
): string {
  const f = (n: number) => formatResource(unit, n);
  const parts: string[] = [];
  if (v.usage === undefined) {
    parts.push('no usage metrics');
  } else {
    const pct = percentOf(v.usage, v.requests);
    parts.push(
      `${unit === 'storage' ? 'used' : 'using'} ${f(v.usage)}${
        pct === undefined ? '' : ` (${pct}% of ${REQUESTS_NAMES[unit]})`
      }`,
    );
  }
  parts.push(`${REQUESTS_NAMES[unit]} ${f(v.requests)}`);
  if (v.limits !== undefined && unit !== 'storage')
    parts.push(`limits ${f(v.limits)}`);
  parts.push(`baseline ${f(v.baseline)}`);
  return `${subject} ${RESOURCE_NAMES[unit]}: ${parts.join(', ')}`;
}

// Static styles only: a table draws three bars per row.
const useStyles = makeStyles(theme => ({
  root: { minWidth: 160, maxWidth: 260 },
  rootDense: { minWidth: 120 },
  track: {
    position: 'relative',
    height: 12,
    borderRadius: 3,
    backgroundColor: theme.palette.action.hover,
    border: `1px solid ${theme.palette.divider}`,
    overflow: 'visible',
  },
  trackDense: { height: 8 },
  usage: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    left: 0,
    borderRadius: 2,
  },
  normal: { backgroundColor: theme.palette.primary.main },
  'above-requests': { backgroundColor: theme.palette.warning.main },
  'at-limit': { backgroundColor: theme.palette.error.main },
  none: { display: 'none' },
  requestsMarker: {
    position: 'absolute',
    top: -3,
    bottom: -3,
    width: 2,
    marginLeft: -1,
    backgroundColor: theme.palette.text.primary,
  },
  baselineMarker: {
    position: 'absolute',
    top: -5,
    bottom: -5,
    width: 0,
    marginLeft: -1,
    borderLeft: `2px dashed ${theme.palette.secondary.main}`,
  },
  text: {
    display: 'block',
    lineHeight: 1.3,
    marginTop: 2,
    whiteSpace: 'nowrap',
    color: theme.palette.text.secondary,
  },
  strong: {
    color: theme.palette.text.primary,
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  warnText: { color: theme.palette.warning.main },
  errorText: { color: theme.palette.error.main },
}));

/**
 * One resource measured three ways: the filled bar is live use, the solid marker the requests
 * (for storage: the volume size), the dashed marker the tier's baseline. The numbers are printed
 * beneath, and the whole is an image with a label that reads them all.
 */
export const ResourceBar = ({
  unit,
  values,
  subject,
  dense = false,
}: ResourceBarProps) => {
  const classes = useStyles();
  const level = usageLevel(unit, values);
  const scale =
    Math.max(values.usage ?? 0, values.requests, values.baseline) || 1;
  const pos = (n: number) => `${Math.min(100, (n / scale) * 100).toFixed(1)}%`;
  const f = (n: number) => formatResource(unit, n);
  const pct =
    values.usage === undefined
      ? undefined
      : percentOf(values.usage, values.requests);
  const label = resourceBarLabel(unit, values, subject);
  const usageClasses: Record<UsageLevel, string> = {
    none: classes.strong,
    normal: classes.strong,
    'above-requests': classes.warnText,
    'at-limit': classes.errorText,
  };
  const usageClass = usageClasses[level];
  return (
    <Box className={`${classes.root} ${dense ? classes.rootDense : ''}`}>
      <div
        role="img"
        aria-label={label}
        title={label}
        className={`${classes.track} ${dense ? classes.trackDense : ''}`}
        data-level={level}
      >
        {values.usage !== undefined && (
          <div
            className={`${classes.usage} ${classes[level]}`}
            style={{ width: pos(values.usage) }}
            data-testid="usage-fill"
          />
        )}
        <div
          className={classes.requestsMarker}
          style={{ left: pos(values.requests) }}
        />
        <div
          className={classes.baselineMarker}
          style={{ left: pos(values.baseline) }}
        />
      </div>
      <Typography variant="caption" className={classes.text} aria-hidden>
        {values.usage === undefined ? (
          <span>no metrics</span>
        ) : (
          <span className={usageClass}>
            {unit === 'storage' ? 'used' : 'use'} {f(values.usage)}
            {pct !== undefined && ` (${pct}%)`}
          </span>
        )}
      </Typography>
      <Typography variant="caption" className={classes.text} aria-hidden>
        {REQUESTS_SHORT[unit]} {f(values.requests)} · base {f(values.baseline)}
      </Typography>
    </Box>
  );
};

/** The key to the bars' three marks, shown once above a table of bars. */
export const ResourceBarLegend = () => {
  const classes = useStyles();
  const swatch = (child: JSX.Element) => (
    <Box
      component="span"
      position="relative"
      display="inline-block"
      width={18}
      height={10}
      mr={0.5}
      aria-hidden
    >
      {child}
    </Box>
  );
  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 16 }}>
      <Typography variant="caption" component="span">
        {swatch(
          <span
            className={`${classes.usage} ${classes.normal}`}
            style={{ width: '100%' }}
          />,
        )}
        live use (amber: above requests, red: at the limit)
      </Typography>
      <Typography variant="caption" component="span">
        {swatch(
          <span className={classes.requestsMarker} style={{ left: '50%' }} />,
        )}
        requests / volume size
      </Typography>
      <Typography variant="caption" component="span">
        {swatch(
          <span className={classes.baselineMarker} style={{ left: '50%' }} />,
        )}
        tier baseline
      </Typography>
    </Box>
  );
};
