import { Chip, makeStyles, Theme } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import WarningIcon from '@material-ui/icons/Warning';
import ErrorIcon from '@material-ui/icons/Error';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import { HealthLevel } from '@codemie-gcp/plugin-codemie-common';

/** Words shown for each health level. */
export const HEALTH_LABELS: Record<HealthLevel, string> = {
  ok: 'ok',
  warning: 'warning',
  error: 'error',
  pending: 'pending',
  unknown: 'unknown',
};

/** Worst first: used to sort components and problems. */
export const HEALTH_ORDER: Record<HealthLevel, number> = {
  error: 0,
  warning: 1,
  pending: 2,
  unknown: 3,
  ok: 4,
};

function paletteColor(theme: Theme, health: HealthLevel) {
  switch (health) {
    case 'ok':
      return theme.palette.success.main;
    case 'warning':
      return theme.palette.warning.main;
    case 'error':
      return theme.palette.error.main;
    case 'pending':
      return theme.palette.info.main;
    default:
      return theme.palette.grey[500];
  }
}

const LEVELS: HealthLevel[] = ['ok', 'warning', 'error', 'pending', 'unknown'];

// Static classes, one per level: dynamic (prop-based) styles would create a style sheet per
// chip, and a page has dozens of chips.
const useStyles = makeStyles(theme => {
  const styles: Record<string, any> = {
    chip: {
      fontWeight: theme.typography.fontWeightBold as number,
      textTransform: 'uppercase',
      letterSpacing: 0.5,
    },
  };
  for (const level of LEVELS) {
    const color = paletteColor(theme, level);
    const text = theme.palette.getContrastText(color);
    styles[level] = {
      backgroundColor: color,
      color: text,
      '& $icon': { color: text },
    };
  }
  styles.icon = {};
  return styles;
});

const ICONS: Record<HealthLevel, typeof CheckCircleIcon> = {
  ok: CheckCircleIcon,
  warning: WarningIcon,
  error: ErrorIcon,
  pending: HourglassEmptyIcon,
  unknown: HelpOutlineIcon,
};

/** @internal */
export interface HealthChipProps {
  health: HealthLevel;
  /** What the health is of, for the accessible name: "MCP Connect health: error". */
  subject?: string;
  size?: 'small' | 'medium';
}

/**
 * A coloured chip for a {@link @codemie-gcp/plugin-codemie-common#HealthLevel}: icon + word,
 * so it does not rely on colour alone; contrast follows the theme (light and dark).
 */
export const HealthChip = ({
  health,
  subject,
  size = 'small',
}: HealthChipProps) => {
  const classes = useStyles();
  const Icon = ICONS[health] ?? HelpOutlineIcon;
  const label = HEALTH_LABELS[health] ?? health;
  return (
    <Chip
      role="img"
      aria-label={`${subject ? `${subject} health` : 'Health'}: ${label}`}
      data-health={health}
      size={size}
      className={`${classes.chip} ${classes[health] ?? classes.unknown}`}
      icon={<Icon className={classes.icon} aria-hidden />}
      label={label}
    />
  );
};
