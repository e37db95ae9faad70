import { useMemo } from 'react';
import { Box, makeStyles, Typography, useTheme } from '@material-ui/core';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  ComponentStatus,
  UsageHistory,
} from '@codemie-gcp/plugin-codemie-common';
import { formatCpu, formatMemory } from '../../format';

export type ChartResource = 'cpu' | 'memory';

/** A categorical palette readable on light and dark backgrounds. */
const SERIES_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#86bcb6',
  '#d37295',
];

const RESOURCE_TITLES: Record<ChartResource, string> = {
  cpu: 'CPU',
  memory: 'Memory',
};

/** Chart units: cores and GiB read better on an axis than millicores and MiB. */
function toAxisUnit(resource: ChartResource, value: number): number {
  return resource === 'cpu' ? value / 1000 : value / 1024;
}

function formatValue(resource: ChartResource, value: number): string {
  return resource === 'cpu' ? formatCpu(value) : formatMemory(value);
}

export interface UsageChartProps {
  history: UsageHistory;
  resource: ChartResource;
  /** All components (names, and requests/baseline for the single-component view). */
  components: ComponentStatus[];
  /** One component id, or undefined for all components stacked. */
  componentId?: string;
  /** Fixed size (tests, print); otherwise the chart fills its container's width. */
  width?: number;
  height?: number;
}

interface Summary {
  latest?: number;
  peak?: number;
}

function summarize(
  history: UsageHistory,
  resource: ChartResource,
  ids: string[],
): Summary {
  const totals = history.points.map(p =>
    ids.reduce((a, id) => a + (p.components[id]?.[resource] ?? 0), 0),
  );
  if (totals.length === 0) return {};
  return { latest: totals[totals.length - 1], peak: Math.max(...totals) };
}

const useStyles = makeStyles(theme => ({
  empty: { padding: theme.spacing(4, 0), textAlign: 'center' },
}));

/**
 * Use of one resource over the history window: all components stacked, or one component
 * against its requests and the tier's baseline.
 */
export const UsageChart = ({
  history,
  resource,
  components,
  componentId,
  width,
  height = 260,
}: UsageChartProps) => {
  const theme = useTheme();
  const classes = useStyles();
  const selected = components.find(c => c.id === componentId);
  const seriesIds = useMemo(() => {
    const present = new Set(
      history.points.flatMap(p => Object.keys(p.components)),
    );
    return componentId
      ? [componentId]
      : components.filter(c => present.has(c.id)).map(c => c.id);
  }, [history, components, componentId]);

  const data = useMemo(
    () =>
      history.points.map(p => {
        const row: Record<string, number> = { t: Date.parse(p.at) };
        for (const id of seriesIds) {
          const v = p.components[id]?.[resource];
          if (v !== undefined) row[id] = toAxisUnit(resource, v);
        }
        return row;
      }),
    [history, seriesIds, resource],
  );

  const names = Object.fromEntries(components.map(c => [c.id, c.displayName]));
  const subject = selected ? selected.displayName : 'all components';
  const summary = summarize(history, resource, seriesIds);
  const title = RESOURCE_TITLES[resource];

  if (history.points.length === 0 || seriesIds.length === 0) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.empty}
      >
        No {resource === 'cpu' ? 'CPU' : 'memory'} history yet for {subject}.
      </Typography>
    );
  }

  const parts = [
    `${title} use of ${subject} over ${history.window}`,
    `latest ${formatValue(resource, summary.latest ?? 0)}`,
    `peak ${formatValue(resource, summary.peak ?? 0)}`,
  ];
  if (selected) {
    parts.push(
      `requests ${formatValue(resource, selected[resource].requests)}`,
    );
    parts.push(
      `baseline ${formatValue(resource, selected[resource].baseline)}`,
    );
  }
  const label = parts.join(', ');

  const unit = resource === 'cpu' ? 'cores' : 'GiB';
  const axisColor = theme.palette.text.secondary;
  const dayFormat = (t: number) =>
    new Date(t).toLocaleString(undefined, {
      weekday: history.window === '24h' ? undefined : 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
  const common = {
    data,
    margin: { top: 8, right: 16, bottom: 0, left: 0 },
  };
  const axes = [
    <CartesianGrid
      key="grid"
      stroke={theme.palette.divider}
      strokeDasharray="3 3"
    />,
    <XAxis
      key="x"
      dataKey="t"
      type="number"
      scale="time"
      domain={['dataMin', 'dataMax']}
      tickFormatter={dayFormat}
      stroke={axisColor}
      tick={{ fill: axisColor, fontSize: 11 }}
      minTickGap={24}
    />,
    <YAxis
      key="y"
      stroke={axisColor}
      tick={{ fill: axisColor, fontSize: 11 }}
      width={48}
      label={{
        value: unit,
        angle: -90,
        position: 'insideLeft',
        fill: axisColor,
        fontSize: 11,
      }}
    />,
    <Tooltip
      key="tooltip"
      labelFormatter={t => new Date(Number(t)).toLocaleString()}
      formatter={(v: number, id: string) => [
        `${v.toFixed(resource === 'cpu' ? 2 : 1)} ${unit}`,
        names[id] ?? id,
      ]}
      contentStyle={{
        backgroundColor: theme.palette.background.paper,
        borderColor: theme.palette.divider,
        color: theme.palette.text.primary,
      }}
    />,
  ];

  const chart = selected ? (
    <LineChart {...common} width={width} height={height}>
      {axes}
      <Line
        type="monotone"
        dataKey={selected.id}
        name={selected.id}
        stroke={theme.palette.primary.main}
        dot={false}
        strokeWidth={2}
        isAnimationActive={false}
      />
      <ReferenceLine
        y={toAxisUnit(resource, selected[resource].requests)}
        stroke={theme.palette.text.primary}
        label={{
          value: 'requests',
          fill: axisColor,
          fontSize: 11,
          position: 'insideTopRight',
        }}
      />
      <ReferenceLine
        y={toAxisUnit(resource, selected[resource].baseline)}
        stroke={theme.palette.secondary.main}
        strokeDasharray="6 4"
        label={{
          value: 'baseline',
          fill: axisColor,
          fontSize: 11,
          position: 'insideBottomRight',
        }}
      />
    </LineChart>
  ) : (
    <AreaChart {...common} width={width} height={height}>
      {axes}
      <Legend
        formatter={(id: string) => names[id] ?? id}
        wrapperStyle={{ fontSize: 11 }}
      />
      {seriesIds.map((id, i) => (
        <Area
          key={id}
          type="monotone"
          dataKey={id}
          name={id}
          stackId="use"
          stroke={SERIES_COLORS[i % SERIES_COLORS.length]}
          fill={SERIES_COLORS[i % SERIES_COLORS.length]}
          fillOpacity={0.6}
          isAnimationActive={false}
        />
      ))}
    </AreaChart>
  );

  return (
    <Box>
      <div
        role="img"
        aria-label={label}
        data-testid={`usage-chart-${resource}`}
      >
        {width ? (
          chart
        ) : (
          <ResponsiveContainer width="100%" height={height}>
            {chart}
          </ResponsiveContainer>
        )}
      </div>
      <Typography variant="caption" color="textSecondary" aria-hidden>
        Latest {formatValue(resource, summary.latest ?? 0)} · peak{' '}
        {formatValue(resource, summary.peak ?? 0)}
        {selected &&
          ` · requests ${formatValue(resource, selected[resource].requests)} · baseline ${formatValue(
            resource,
            selected[resource].baseline,
          )}`}
      </Typography>
    </Box>
  );
};
