import { ComponentProps, useEffect, useRef } from 'react';
import { useParams } from 'react-router-dom';
import { Box, Paper, Typography } from '@material-ui/core';
import { makeStyles } from '@material-ui/core/styles';
import {
  TaskStream,
  useTaskEventStream,
} from '@backstage/plugin-scaffolder-react';
import { DefaultTemplateOutputs } from '@backstage/plugin-scaffolder-react/alpha';
import { stepLogLines } from './stepLogLines';

const useStyles = makeStyles(theme => ({
  log: {
    margin: 0,
    padding: theme.spacing(1, 0, 0),
    listStyle: 'none',
    maxHeight: '18rem',
    overflowY: 'auto',
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: '0.8125rem',
    lineHeight: 1.6,
    overflowWrap: 'anywhere',
  },
  warn: { color: theme.palette.warning.main },
  error: { color: theme.palette.error.main },
}));

/** Props of {@link TaskProgress}. */
export interface TaskProgressProps {
  /** The task's event stream (`useTaskEventStream`). */
  stream: Pick<TaskStream, 'task' | 'steps' | 'stepLogs' | 'completed'>;
}

/**
 * While a task runs: which step is running and that step's log lines as they arrive (each
 * resource being created, each component rolling out), so a long step is not just a spinner.
 * Renders nothing once the task has ended (the task page then shows the full log).
 */
export const TaskProgress = ({ stream }: TaskProgressProps) => {
  const classes = useStyles();
  const listRef = useRef<HTMLOListElement>(null);
  const specSteps = stream.task?.spec.steps ?? [];
  const index = specSteps.findIndex(
    s => stream.steps[s.id]?.status === 'processing',
  );
  const step = index >= 0 ? specSteps[index] : undefined;
  const lines = step ? stepLogLines(stream.stepLogs[step.id] ?? []) : [];

  // Follow the newest line, as a terminal does.
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [lines.length]);

  if (stream.completed || !step) return null;
  const title = `Step ${index + 1} of ${specSteps.length}: ${step.name ?? step.id}`;
  return (
    <Box paddingBottom={2}>
      <Paper
        component="section"
        aria-label={`Progress: ${step.name ?? step.id}`}
      >
        <Box padding={2}>
          <Typography variant="h6" component="h2">
            {title}
          </Typography>
          {lines.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              Starting…
            </Typography>
          ) : (
            <ol
              ref={listRef}
              className={classes.log}
              role="log"
              aria-live="polite"
              aria-label={`Log of ${step.name ?? step.id}`}
            >
              {lines.map((line, i) => (
                <li
                  key={i}
                  className={
                    line.level === 'warn' || line.level === 'error'
                      ? classes[line.level]
                      : undefined
                  }
                >
                  {line.level === 'warn' || line.level === 'error'
                    ? `${line.level}: ${line.text}`
                    : line.text}
                </li>
              ))}
            </ol>
          )}
        </Box>
      </Paper>
    </Box>
  );
};

const LiveTaskProgress = ({ taskId }: { taskId: string }) => (
  <TaskProgress stream={useTaskEventStream(taskId)} />
);

/**
 * The task page's outputs slot (`ScaffolderPage`'s `EXPERIMENTAL_TemplateOutputsComponent`):
 * the live progress of the running step above the template's outputs. The slot sits between
 * the step list and the buttons of the scaffolder's task page, whose own log is collapsed
 * until the task ends.
 */
export const TaskOutputsWithProgress = (
  props: ComponentProps<typeof DefaultTemplateOutputs>,
) => {
  const { taskId } = useParams();
  return (
    <>
      {taskId ? <LiveTaskProgress taskId={taskId} /> : null}
      <DefaultTemplateOutputs output={props.output} />
    </>
  );
};
