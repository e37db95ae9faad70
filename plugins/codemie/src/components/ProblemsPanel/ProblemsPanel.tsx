import { InfoCard } from '@backstage/core-components';
import { Box, Chip, makeStyles, Typography } from '@material-ui/core';
import ErrorIcon from '@material-ui/icons/Error';
import WarningIcon from '@material-ui/icons/Warning';
import BuildIcon from '@material-ui/icons/Build';
import { DetectedProblem } from '@codemie-gcp/plugin-codemie-common';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1.5, 0),
    '&:not(:last-child)': {
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  error: { color: theme.palette.error.main },
  warning: { color: theme.palette.warning.main },
  detail: { marginTop: theme.spacing(0.5), whiteSpace: 'pre-wrap' },
  fix: {
    display: 'flex',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
    padding: theme.spacing(1, 1.5),
    borderLeft: `4px solid ${theme.palette.success.main}`,
    backgroundColor: theme.palette.action.hover,
    borderRadius: theme.shape.borderRadius,
  },
  fixIcon: { color: theme.palette.success.main, marginTop: 2 },
}));

export interface ProblemsPanelProps {
  problems: DetectedProblem[];
  /** Component id → display name. */
  componentNames?: Record<string, string>;
}

/** Errors before warnings; the API's order is kept within a severity. */
export function sortProblems(problems: DetectedProblem[]): DetectedProblem[] {
  const rank = (p: DetectedProblem) => (p.severity === 'error' ? 0 : 1);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

/** What is wrong and what to change: each detected problem with its evidence and its fix. */
export const ProblemsPanel = ({
  problems,
  componentNames = {},
}: ProblemsPanelProps) => {
  const classes = useStyles();
  const errors = problems.filter(p => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const subheader =
    problems.length === 0
      ? 'Nothing needs attention.'
      : [
          errors ? `${errors} ${errors === 1 ? 'error' : 'errors'}` : undefined,
          warnings
            ? `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`
            : undefined,
        ]
          .filter(Boolean)
          .join(', ');

  return (
    <section aria-label="Detected problems">
      <InfoCard title="Detected problems" subheader={subheader}>
        {problems.length === 0 ? (
          <Typography variant="body2">No problems detected.</Typography>
        ) : (
          <ul className={classes.list}>
            {sortProblems(problems).map((problem, index) => {
              const Icon =
                problem.severity === 'error' ? ErrorIcon : WarningIcon;
              return (
                <li
                  key={`${problem.component ?? ''}-${index}`}
                  className={classes.item}
                  aria-label={`${problem.severity}: ${problem.title}`}
                >
                  <div className={classes.header}>
                    <Icon className={classes[problem.severity]} aria-hidden />
                    <Typography
                      variant="caption"
                      className={classes[problem.severity]}
                      style={{ textTransform: 'uppercase', fontWeight: 700 }}
                    >
                      {problem.severity}
                    </Typography>
                    <Typography variant="subtitle1" component="h3">
                      {problem.title}
                    </Typography>
                    {problem.component && (
                      <Chip
                        size="small"
                        variant="outlined"
                        label={
                          componentNames[problem.component] ?? problem.component
                        }
                      />
                    )}
                  </div>
                  <Typography
                    variant="body2"
                    color="textSecondary"
                    className={classes.detail}
                  >
                    {problem.detail}
                  </Typography>
                  <Box className={classes.fix}>
                    <BuildIcon
                      fontSize="small"
                      className={classes.fixIcon}
                      aria-hidden
                    />
                    <Typography variant="body2">
                      <strong>Fix: </strong>
                      {problem.fix}
                    </Typography>
                  </Box>
                </li>
              );
            })}
          </ul>
        )}
      </InfoCard>
    </section>
  );
};
