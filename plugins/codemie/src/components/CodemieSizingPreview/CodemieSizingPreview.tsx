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
import {
  codemieApiRef,
  PlanPreview,
  PlanPreviewRequest,
  PlanPricing,
} from '../../api';
import { classifyError } from '../../api/errors';
import { formatUsd } from '../../format';
import { CostLines } from '../CostLines';

/**
 * The value the field stores in the form (and the review page shows): the plan's headline.
 *
 * @public
 */
export interface CodemieSizingPreviewValue {
  /** The tier as a person reads it, e.g. `medium` or `custom (between small and medium)`. */
  tier: string;
  /** The plan's monthly on-demand total, USD. */
  monthlyCostUsd: number;
  /** The node pool's machine type. */
  machineType: string;
}

/** Milliseconds between the last change of an input and the request. */
export const PREVIEW_DEBOUNCE_MS = 400;

/** The other template parameters the preview reads. */
type TemplateFormData = Record<string, unknown>;

/**
 * The plan request for the template's current values, or undefined before the region is known.
 * Values are passed as they are: the backend validates them and names the field that is wrong.
 */
export function planRequestFrom(
  formData: TemplateFormData | undefined,
): PlanPreviewRequest | undefined {
  if (!formData || typeof formData.region !== 'string' || !formData.region) {
    return undefined;
  }
  return {
    region: formData.region,
    option: formData.option as PlanPreviewRequest['option'],
    regional: formData.regional as boolean | undefined,
    createDnsZone: formData.createDnsZone as boolean | undefined,
    sizing: {
      concurrentUsers: formData.concurrentUsers as number,
      vectorDatasourceGiB: formData.vectorDatasourceGiB as number,
      logRetentionDays: formData.logRetentionDays as number,
      llmProxyType:
        formData.llmProxyType as PlanPreviewRequest['sizing']['llmProxyType'],
      includeNats: formData.includeNats as boolean | undefined,
    },
  };
}

const PRICING_LABELS: Record<PlanPricing, string> = {
  spot: 'Spot nodes',
  'committed-1y': '1-year committed use',
  'committed-3y': '3-year committed use',
};

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

type PreviewState = {
  preview?: PlanPreview;
  error?: string;
  loading: boolean;
};

/** The plan: summary, components, cost lines, alternatives and price date. */
const PreviewDetails = ({
  preview,
  classes,
}: {
  preview: PlanPreview;
  classes: ReturnType<typeof useStyles>;
}) => {
  const { nodePool } = preview;
  return (
    <>
      <dl className={classes.dl} aria-label="Plan summary">
        <dt className={classes.dt}>Tier</dt>
        <dd className={classes.dd}>{preview.tierLabel}</dd>
        <dt className={classes.dt}>Node pool</dt>
        <dd className={classes.dd}>
          {`${nodePool.machineType}, ${nodePool.minNodes}–${nodePool.maxNodes} nodes, ` +
            `${nodePool.zones} ${nodePool.zones === 1 ? 'zone' : 'zones'}`}
        </dd>
        <dt className={classes.dt}>Placement check</dt>
        <dd className={classes.dd}>
          {`kube-scheduler placed every pod in ${nodePool.survival.survived} of ${nodePool.survival.runs} simulated runs ` +
            `(${nodePool.survival.orders} creation orders${nodePool.survival.drains ? ' × every single-node drain' : ''})`}
        </dd>
        <dt className={classes.dt}>Monthly cost</dt>
        <dd className={`${classes.dd} ${classes.total}`}>
          {formatUsd(preview.monthlyCostUsd)} / month (on-demand)
          {preview.monthlyCostRangeUsd.max > preview.monthlyCostUsd &&
            `, up to ${formatUsd(preview.monthlyCostRangeUsd.max)} at ${nodePool.maxNodes} nodes`}
        </dd>
      </dl>

      <Table
        size="small"
        aria-label="Planned components"
        className={classes.section}
      >
        <TableHead>
          <TableRow>
            <TableCell>Component</TableCell>
            <TableCell align="right">Pods</TableCell>
            <TableCell align="right">CPU / pod</TableCell>
            <TableCell align="right">Memory / pod</TableCell>
            <TableCell align="right">Storage / pod</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.components.map(c => (
            <TableRow key={c.id}>
              <TableCell component="th" scope="row">
                {c.name}
              </TableCell>
              <TableCell align="right" className={classes.numeric}>
                {c.pods > 0 ? c.pods : 'managed'}
              </TableCell>
              <TableCell align="right" className={classes.numeric}>
                {c.cpu}
              </TableCell>
              <TableCell align="right" className={classes.numeric}>
                {c.memory}
              </TableCell>
              <TableCell align="right" className={classes.numeric}>
                {c.storage || '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <CostLines
        className={classes.section}
        lines={preview.costLines}
        totalMonthlyUsd={preview.monthlyCostUsd}
        range={{
          ...preview.monthlyCostRangeUsd,
          minNodes: nodePool.minNodes,
          maxNodes: nodePool.maxNodes,
        }}
      />

      {preview.nextStep && (
        <Typography
          variant="body2"
          component="p"
          className={classes.section}
          aria-label="Next step"
        >
          {`At ${preview.nextStep.concurrentUsers.toLocaleString('en-US')} concurrent users this becomes ` +
            `${preview.nextStep.minNodes} × ${preview.nextStep.machineType}, about ` +
            `${formatUsd(preview.nextStep.monthlyCostUsd)} / month.`}
        </Typography>
      )}

      {preview.alternatives.length > 0 && (
        <div className={classes.section}>
          <Typography variant="subtitle2" component="h4">
            With other node pricing
          </Typography>
          <ul className={classes.list} aria-label="Pricing alternatives">
            {preview.alternatives.map(a => (
              <li key={a.pricing}>
                <Typography variant="body2" component="span">
                  {PRICING_LABELS[a.pricing] ?? a.pricing}:{' '}
                  {formatUsd(a.totalMonthlyUsd)} / month
                </Typography>
              </li>
            ))}
          </ul>
        </div>
      )}

      <Typography
        variant="caption"
        color="textSecondary"
        component="p"
        className={classes.section}
      >
        Estimate from Google Cloud list prices of {preview.pricesDate}; lines
        marked (estimate) rest on assumed usage or a price derived for the
        region. Taxes and LLM usage are not included.
      </Typography>
    </>
  );
};

/** Props of {@link SizingPreview}: the request to preview and where to report the headline. */
export interface SizingPreviewProps {
  title?: string;
  request?: PlanPreviewRequest;
  value?: CodemieSizingPreviewValue;
  onChange?: (value: CodemieSizingPreviewValue | undefined) => void;
  debounceMs?: number;
}

/**
 * Asks the backend for the plan of `request` (debounced; only the latest request's answer is
 * shown) and renders it.
 */
export const SizingPreview = ({
  title = 'Sizing and monthly cost',
  request,
  value,
  onChange,
  debounceMs = PREVIEW_DEBOUNCE_MS,
}: SizingPreviewProps) => {
  const classes = useStyles();
  const codemieApi = useApi(codemieApiRef);
  const [state, setState] = useState<PreviewState>({ loading: false });

  // Only the inputs matter: the field's own value must not re-trigger a request.
  const requestKey = request ? JSON.stringify(request) : undefined;

  // Latest value and onChange without making them effect dependencies.
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
        .previewPlan(JSON.parse(requestKey) as PlanPreviewRequest, {
          signal: controller.signal,
        })
        .then(preview => {
          if (stale) return;
          setState({ preview, loading: false });
          const next: CodemieSizingPreviewValue = {
            tier: preview.tierLabel,
            monthlyCostUsd: preview.monthlyCostUsd,
            machineType: preview.nodePool.machineType,
          };
          const { value: current, onChange: report } = latest.current;
          if (
            current?.tier !== next.tier ||
            current?.monthlyCostUsd !== next.monthlyCostUsd ||
            current?.machineType !== next.machineType
          ) {
            report?.(next);
          }
        })
        .catch((error: Error) => {
          if (stale) return;
          setState({ error: classifyError(error).message, loading: false });
          // The review page must not show the cost of other inputs.
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

  const { preview, error, loading } = state;

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
          Choose a region to see the sizing and the monthly cost.
        </Typography>
      )}
      {request && error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
      {request && !error && !preview && !loading && (
        <Typography variant="body2" color="textSecondary">
          No preview yet.
        </Typography>
      )}
      {request && !error && preview && (
        <PreviewDetails preview={preview} classes={classes} />
      )}
    </Paper>
  );
};

/**
 * The template field `ui:field: CodemieSizingPreview`: the tier, components, node pool and
 * monthly cost of the values entered so far, updated as the user types. It reads the whole
 * form from `formContext.formData` (scaffolder-react's stepper passes the values of every step
 * there) and stores `{ tier, monthlyCostUsd, machineType }` as its own value. It never fails
 * validation: a bad input is reported by the field it belongs to, and here as the backend's
 * message.
 *
 * @internal
 */
export const CodemieSizingPreview = (
  props: FieldExtensionComponentProps<CodemieSizingPreviewValue | undefined>,
) => {
  const { formContext, registry, schema, formData, onChange } = props;
  const allFormData: TemplateFormData | undefined =
    formContext?.formData ?? registry?.formContext?.formData;
  const request = useMemo(() => planRequestFrom(allFormData), [allFormData]);
  return (
    <SizingPreview
      title={schema?.title}
      request={request}
      value={formData}
      onChange={onChange}
    />
  );
};
