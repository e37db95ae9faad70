import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  LinearProgress,
  makeStyles,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type {
  ComponentResize,
  NodePoolShape,
  WorkloadSize,
} from '@codemie-gcp/plugin-codemie-common';
import { codemieApiRef, ResizePlan, ResizePreviewRequest } from '../../api';
import { classifyError } from '../../api/errors';
import {
  formatCostDelta,
  formatCpu,
  formatMemory,
  formatUsd,
} from '../../format';

/**
 * What the field stores in the form (the review page shows it): the resize's headline.
 *
 * @public
 */
export interface CodemieResizePreviewValue {
  /** E.g. `small → medium`. */
  sizing: string;
  /** E.g. `$1,132.52 → $1,575.30 (+$442.78/month)`. */
  monthlyCost: string;
  /** True when the resize changes anything. */
  changes: boolean;
}

/** Milliseconds between the last change of an input and the request. */
export const RESIZE_PREVIEW_DEBOUNCE_MS = 400;

/**
 * The preview request for the form's values, or undefined before an environment is picked.
 * Values are passed as they are: the backend validates them with the action's contract.
 */
export function resizeRequestFrom(
  formData: Record<string, unknown> | undefined,
): ResizePreviewRequest | undefined {
  const environment = formData?.environment;
  if (typeof environment !== 'string' || !environment) return undefined;
  const tier = typeof formData?.tier === 'string' ? formData.tier : undefined;
  const imageVersion =
    typeof formData?.imageVersion === 'string' && formData.imageVersion
      ? formData.imageVersion
      : undefined;
  return {
    environment,
    ...(tier && tier !== 'keep' ? { tier } : {}),
    ...(tier === 'custom' && formData?.sizing
      ? { sizing: formData.sizing as ResizePreviewRequest['sizing'] }
      : {}),
    ...(imageVersion ? { imageVersion } : {}),
  };
}

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(2), marginTop: theme.spacing(1) },
  section: { marginTop: theme.spacing(2) },
  dl: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
  },
  dt: { color: theme.palette.text.secondary },
  dd: { margin: 0 },
  total: { fontWeight: theme.typography.fontWeightBold as number },
  numeric: { fontVariantNumeric: 'tabular-nums' },
  list: { margin: 0, paddingLeft: theme.spacing(2.5) },
  progress: { height: 2 },
}));

function sizeText(kind: ComponentResize['kind'], s?: WorkloadSize): string {
  if (!s) return '—';
  const pods = kind === 'DaemonSet' ? 'per node' : `${s.replicas} ×`;
  const volume = s.storageGiBPerPod > 0 ? `, ${s.storageGiBPerPod} GiB` : '';
  return `${pods} ${formatCpu(s.cpuMillis)} / ${formatMemory(s.memoryMiB)}${volume}`;
}

function poolText(p: NodePoolShape): string {
  return `${p.machineType} × ${p.minNodes}–${p.maxNodes} nodes`;
}

const METHOD_TEXT: Record<ResizePlan['nodePool']['method'], string> = {
  unchanged: 'unchanged',
  autoscaling:
    'same machines, grown before the workloads or lowered after them',
  replace:
    'a new pool of the new machine type first; the old one is drained within the PodDisruptionBudgets, then deleted',
};

/** The plan diff: the headline, the node pool, each component that changes, the steps. */
export const ResizePlanView = ({ plan }: { plan: ResizePlan }) => {
  const classes = useStyles();
  const changed = plan.components.filter(c => c.change !== 'unchanged');
  const unchanged = plan.components.length - changed.length;
  return (
    <>
      <dl className={classes.dl} aria-label="Resize summary">
        <dt className={classes.dt}>Sizing</dt>
        <dd className={classes.dd}>
          {plan.from.tierLabel} → {plan.to.tierLabel}
        </dd>
        <dt className={classes.dt}>Node pool</dt>
        <dd className={classes.dd}>
          {plan.nodePool.method === 'unchanged'
            ? `${poolText(plan.nodePool.before)}, unchanged`
            : `${poolText(plan.nodePool.before)} → ${poolText(plan.nodePool.after)}: ${METHOD_TEXT[plan.nodePool.method]}`}
        </dd>
        {plan.imageVersion && (
          <>
            <dt className={classes.dt}>CodeMie images</dt>
            <dd className={classes.dd}>
              {plan.imageVersion.from} → {plan.imageVersion.to}
            </dd>
          </>
        )}
        <dt className={classes.dt}>Monthly cost</dt>
        <dd className={`${classes.dd} ${classes.total}`}>
          {formatUsd(plan.cost.beforeUsd)} → {formatUsd(plan.cost.afterUsd)} (
          {formatCostDelta(plan.cost.deltaUsd)})
        </dd>
      </dl>

      {changed.length > 0 && (
        <Table
          size="small"
          aria-label="Components that change"
          className={classes.section}
        >
          <TableHead>
            <TableRow>
              <TableCell>Component</TableCell>
              <TableCell>Now</TableCell>
              <TableCell>After</TableCell>
              <TableCell>Note</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {changed.map(c => (
              <TableRow key={c.id} data-component={c.id} data-change={c.change}>
                <TableCell component="th" scope="row">
                  {c.displayName}
                </TableCell>
                <TableCell className={classes.numeric}>
                  {c.change === 'added'
                    ? 'not deployed'
                    : sizeText(c.kind, c.before)}
                </TableCell>
                <TableCell className={classes.numeric}>
                  {c.change === 'removed'
                    ? 'removed'
                    : sizeText(c.kind, c.after)}
                </TableCell>
                <TableCell>{c.notes.join('; ')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.section}
      >
        {unchanged === plan.components.length
          ? 'No component changes size.'
          : `${unchanged} other ${unchanged === 1 ? 'component keeps its' : 'components keep their'} size.`}
      </Typography>

      <div className={classes.section}>
        <Typography variant="subtitle2" component="h4">
          What the resize does
        </Typography>
        <ol className={classes.list} aria-label="Resize steps">
          {plan.steps.map(step => (
            <li key={step}>
              <Typography variant="body2" component="span">
                {step}
              </Typography>
            </li>
          ))}
        </ol>
      </div>
      <Typography
        variant="caption"
        color="textSecondary"
        component="p"
        className={classes.section}
      >
        Estimate from Google Cloud list prices of {plan.cost.pricesDate}.
        Nothing changes until you click Create on the review page.
      </Typography>
    </>
  );
};

type State = { plan?: ResizePlan; error?: string; loading: boolean };

/** Props of {@link ResizePreview}. */
export interface ResizePreviewProps {
  title?: string;
  request?: ResizePreviewRequest;
  value?: CodemieResizePreviewValue;
  onChange?: (value: CodemieResizePreviewValue | undefined) => void;
  debounceMs?: number;
}

/** Asks the backend for the plan diff of `request` (debounced; the latest answer wins). */
export const ResizePreview = ({
  title = 'What changes',
  request,
  value,
  onChange,
  debounceMs = RESIZE_PREVIEW_DEBOUNCE_MS,
}: ResizePreviewProps) => {
  const classes = useStyles();
  const codemieApi = useApi(codemieApiRef);
  const [state, setState] = useState<State>({ loading: false });
  const requestKey = request ? JSON.stringify(request) : undefined;
  const latest = useRef({ value, onChange });
  latest.current = { value, onChange };

  useEffect(() => {
    if (!requestKey) {
      setState({ loading: false });
      return undefined;
    }
    let stale = false;
    const controller = new AbortController();
    setState(current => ({ ...current, loading: true }));
    const timer = setTimeout(() => {
      codemieApi
        .previewResize(JSON.parse(requestKey), { signal: controller.signal })
        .then(plan => {
          if (stale) return;
          setState({ plan, loading: false });
          const next: CodemieResizePreviewValue = {
            sizing: `${plan.from.tierLabel} → ${plan.to.tierLabel}`,
            monthlyCost: `${formatUsd(plan.cost.beforeUsd)} → ${formatUsd(plan.cost.afterUsd)} (${formatCostDelta(plan.cost.deltaUsd)})`,
            changes: plan.changes,
          };
          if (JSON.stringify(latest.current.value) !== JSON.stringify(next)) {
            latest.current.onChange?.(next);
          }
        })
        .catch((error: Error) => {
          if (stale) return;
          setState({ error: classifyError(error).message, loading: false });
          if (latest.current.value !== undefined)
            latest.current.onChange?.(undefined);
        });
    }, debounceMs);
    return () => {
      stale = true;
      clearTimeout(timer);
      controller.abort();
    };
  }, [codemieApi, requestKey, debounceMs]);

  const { plan, error, loading } = state;
  return (
    <Paper
      variant="outlined"
      className={classes.root}
      component="section"
      aria-label={title}
      aria-busy={loading}
    >
      <Typography variant="h6" component="h3">
        {title}
      </Typography>
      <div className={classes.progress}>
        {loading && <LinearProgress aria-label="Updating the preview" />}
      </div>
      {!request && (
        <Typography variant="body2" color="textSecondary">
          Pick an environment to see what changes.
        </Typography>
      )}
      {request && error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
      {request && !error && plan && !plan.changes && (
        <Typography variant="body2" role="status">
          Nothing to change: the environment already has this sizing and these
          images. Running the resize makes no change.
        </Typography>
      )}
      {request && !error && plan && <ResizePlanView plan={plan} />}
    </Paper>
  );
};

/**
 * The template field `ui:field: CodemieResizePreview`: the plan diff of the resize entered so far
 * — components, node pool, monthly cost before → after, the steps — from the backend's planner,
 * the same diff `codemie:resize` logs before it changes anything. Reads the whole form from
 * `formContext.formData`; stores the headline for the review page; never fails validation (bad
 * input is reported by its own field, and here as the backend's message).
 *
 * @internal
 */
export const CodemieResizePreview = (
  props: FieldExtensionComponentProps<CodemieResizePreviewValue | undefined>,
) => {
  const { formContext, registry, schema, formData, onChange } = props;
  const allFormData: Record<string, unknown> | undefined =
    formContext?.formData ?? registry?.formContext?.formData;
  const request = useMemo(() => resizeRequestFrom(allFormData), [allFormData]);
  return (
    <ResizePreview
      title={schema?.title}
      request={request}
      value={formData}
      onChange={onChange}
    />
  );
};
