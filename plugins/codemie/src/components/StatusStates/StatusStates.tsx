import {
  EmptyState,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { Box, Grid, makeStyles, Typography } from '@material-ui/core';
import { classifyError } from '../../api/errors';

const useStyles = makeStyles(theme => ({
  '@keyframes codemiePulse': {
    '0%': { opacity: 1 },
    '50%': { opacity: 0.45 },
    '100%': { opacity: 1 },
  },
  block: {
    backgroundColor: theme.palette.action.hover,
    borderRadius: theme.shape.borderRadius,
    animation: '$codemiePulse 1.5s ease-in-out infinite',
  },
}));

const Block = ({
  height,
  width = '100%',
}: {
  height: number;
  width?: number | string;
}) => {
  const classes = useStyles();
  return <div className={classes.block} style={{ height, width }} />;
};

/** Grey placeholders in the shape of what is coming (the tab, or the compact card). */
export const LoadingSkeleton = ({
  variant = 'page',
}: {
  variant?: 'page' | 'card';
}) => (
  <div role="progressbar" aria-label="Loading CodeMie status" aria-busy="true">
    {variant === 'card' ? (
      <Box display="grid" style={{ gap: 12 }}>
        <Block height={28} width="40%" />
        <Block height={16} />
        <Block height={16} width="80%" />
        <Block height={16} width="60%" />
      </Box>
    ) : (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Block height={56} />
        </Grid>
        <Grid item xs={12}>
          <Box display="grid" style={{ gap: 8 }}>
            {Array.from({ length: 12 }, (_, i) => (
              <Block key={i} height={36} />
            ))}
          </Box>
        </Grid>
        <Grid item xs={12} md={6}>
          <Block height={200} />
        </Grid>
        <Grid item xs={12} md={6}>
          <Block height={200} />
        </Grid>
      </Grid>
    )}
  </div>
);

/** The entity is not a CodeMie environment, or lacks the annotations the API reads. */
export const NotACodemieEnvironment = ({
  missingAnnotations,
  message,
}: {
  missingAnnotations?: string[];
  message?: string;
}) => {
  if (missingAnnotations && missingAnnotations.length > 0) {
    return <MissingAnnotationEmptyState annotation={missingAnnotations} />;
  }
  return (
    <EmptyState
      missing="field"
      title="Not a CodeMie environment"
      description={
        message ??
        'This entity is not a codemie-environment Resource, so there is no CodeMie status to show.'
      }
    />
  );
};

/**
 * The honest state for a failed status request: what happened, in the API's own words.
 */
export const StatusError = ({ error }: { error: Error }) => {
  const classified = classifyError(error);
  switch (classified.kind) {
    case 'not-codemie':
      return <NotACodemieEnvironment message={classified.message} />;
    case 'unreachable':
      return (
        <WarningPanel
          defaultExpanded
          severity="error"
          title="Cluster unreachable"
          message={
            <>
              <Typography variant="body2" component="span" display="block">
                The CodeMie backend could not read this environment from Google
                Cloud (HTTP {classified.statusCode}).
              </Typography>
              <Typography variant="body2" component="span" display="block">
                <strong>Cause:</strong> {classified.message}
              </Typography>
            </>
          }
        />
      );
    case 'forbidden':
      return (
        <WarningPanel
          defaultExpanded
          severity="warning"
          title="Not allowed"
          message={`You are not allowed to read this environment's status. ${classified.message}`}
        />
      );
    case 'unauthorized':
      return (
        <WarningPanel
          defaultExpanded
          severity="warning"
          title="Sign-in required"
          message={`Your Backstage session is missing or has expired; sign in again. ${classified.message}`}
        />
      );
    case 'not-managed':
      return (
        <WarningPanel
          defaultExpanded
          severity="warning"
          title="Not managed here"
          message={
            <>
              <Typography variant="body2" component="span" display="block">
                This entity looks like a CodeMie environment, but this portal
                did not create it, so its cluster is not read.
              </Typography>
              <Typography variant="body2" component="span" display="block">
                {classified.message}
              </Typography>
            </>
          }
        />
      );
    case 'not-found':
      return (
        <WarningPanel
          defaultExpanded
          severity="warning"
          title="Environment not found"
          message={`The CodeMie backend does not know this entity: ${classified.message}`}
        />
      );
    default:
      return <ResponseErrorPanel error={error} />;
  }
};
