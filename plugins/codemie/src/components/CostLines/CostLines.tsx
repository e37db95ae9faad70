import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { PlanPreview } from '../../api';
import { formatUsd } from '../../format';

const useStyles = makeStyles(theme => ({
  total: { fontWeight: theme.typography.fontWeightBold as number },
  numeric: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  estimate: {
    color: theme.palette.text.secondary,
    marginLeft: theme.spacing(0.5),
  },
}));

/** Props of {@link CostLines}. */
export interface CostLinesProps {
  /** The bill's lines (the preview's and the status's are the same). */
  lines: PlanPreview['costLines'];
  /** Total with the node pool at its autoscaling minimum. */
  totalMonthlyUsd: number;
  /** Total at the autoscaling minimum and maximum, with the node counts. */
  range?: { min: number; max: number; minNodes: number; maxNodes: number };
  className?: string;
}

/**
 * The monthly bill, line by line: every line with how it was computed, estimates marked, the
 * total with the node pool at its autoscaling minimum and, beside it, at its maximum. Shown by
 * the sizing preview and by the entity page, so both show the same lines.
 */
export const CostLines = ({
  lines,
  totalMonthlyUsd,
  range,
  className,
}: CostLinesProps) => {
  const classes = useStyles();
  return (
    <Table size="small" aria-label="Monthly cost" className={className}>
      <TableHead>
        <TableRow>
          <TableCell>Item</TableCell>
          <TableCell>Detail</TableCell>
          <TableCell align="right">USD / month</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {lines.map(line => (
          <TableRow key={line.item}>
            <TableCell component="th" scope="row">
              {line.item}
              {line.estimate && (
                <Typography
                  variant="caption"
                  component="span"
                  className={classes.estimate}
                >
                  (estimate)
                </Typography>
              )}
            </TableCell>
            <TableCell>{line.detail}</TableCell>
            <TableCell align="right" className={classes.numeric}>
              {formatUsd(line.monthlyUsd)}
            </TableCell>
          </TableRow>
        ))}
        <TableRow>
          <TableCell component="th" scope="row" className={classes.total}>
            {range
              ? `Total (on-demand, ${range.minNodes} nodes)`
              : 'Total (on-demand)'}
          </TableCell>
          <TableCell />
          <TableCell
            align="right"
            className={`${classes.numeric} ${classes.total}`}
          >
            {formatUsd(totalMonthlyUsd)}
          </TableCell>
        </TableRow>
        {range && range.maxNodes > range.minNodes && (
          <TableRow>
            <TableCell component="th" scope="row">
              {`At the autoscaling maximum (${range.maxNodes} nodes)`}
            </TableCell>
            <TableCell>
              {`the bill ranges from ${formatUsd(range.min)} to ${formatUsd(range.max)} a month as the node pool scales`}
            </TableCell>
            <TableCell align="right" className={classes.numeric}>
              {formatUsd(range.max)}
            </TableCell>
          </TableRow>
        )}
      </TableBody>
    </Table>
  );
};
