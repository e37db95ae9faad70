import { useState } from 'react';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import {
  FormControl,
  Grid,
  InputLabel,
  MenuItem,
  Select,
  Typography,
} from '@material-ui/core';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ComponentStatus } from '@codemie-gcp/plugin-codemie-common';
import { UsageHistoryWindow } from '../../api';
import { classifyError } from '../../api/errors';
import { useCodemieHistory } from '../../hooks';
import { UsageChart } from '../UsageChart';
import { SandboxDataChip } from '../AdviceList';

const ALL = '__all__';

export interface UsagePanelProps {
  entityRef: CompoundEntityRef;
  components: ComponentStatus[];
  refreshKey: number;
  /** Fixed chart width (tests); otherwise responsive. */
  chartWidth?: number;
}

/** CPU and memory use over the history window, for all components or one. */
export const UsagePanel = ({
  entityRef,
  components,
  refreshKey,
  chartWidth,
}: UsagePanelProps) => {
  const [window, setWindow] = useState<UsageHistoryWindow>('7d');
  const [componentId, setComponentId] = useState<string>(ALL);
  const history = useCodemieHistory(entityRef, window, refreshKey);
  const withPods = components.filter(c => c.workloadKind !== 'Managed');

  const controls = (
    <Grid container spacing={2}>
      <Grid item>
        <FormControl size="small" variant="outlined" style={{ minWidth: 140 }}>
          <InputLabel id="codemie-history-window">Window</InputLabel>
          <Select
            labelId="codemie-history-window"
            label="Window"
            value={window}
            onChange={e => setWindow(e.target.value as UsageHistoryWindow)}
          >
            <MenuItem value="24h">Last 24 hours</MenuItem>
            <MenuItem value="7d">Last 7 days</MenuItem>
          </Select>
        </FormControl>
      </Grid>
      <Grid item>
        <FormControl size="small" variant="outlined" style={{ minWidth: 220 }}>
          <InputLabel id="codemie-history-component">Component</InputLabel>
          <Select
            labelId="codemie-history-component"
            label="Component"
            value={componentId}
            onChange={e => setComponentId(e.target.value as string)}
          >
            <MenuItem value={ALL}>All components (stacked)</MenuItem>
            {withPods.map(c => (
              <MenuItem key={c.id} value={c.id}>
                {c.displayName}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Grid>
    </Grid>
  );

  let body;
  if (history.loading && !history.value) {
    body = <Progress />;
  } else if (history.error) {
    body = (
      <WarningPanel
        defaultExpanded
        severity="warning"
        title="Usage history unavailable"
        message={classifyError(history.error).message}
      />
    );
  } else if (history.value) {
    const selected = componentId === ALL ? undefined : componentId;
    body = (
      <Grid container spacing={2}>
        {(['cpu', 'memory'] as const).map(resource => (
          <Grid item xs={12} lg={6} key={resource}>
            <Typography variant="subtitle2" component="h3">
              {resource === 'cpu' ? 'CPU (cores)' : 'Memory (GiB)'}
            </Typography>
            <UsageChart
              history={history.value!}
              resource={resource}
              components={components}
              componentId={selected}
              width={chartWidth}
            />
          </Grid>
        ))}
      </Grid>
    );
  }

  return (
    <section aria-label="Usage history">
      <InfoCard
        title="Usage history"
        subheader={
          history.value?.origin === 'sandbox' ? <SandboxDataChip /> : undefined
        }
        action={controls}
      >
        {body}
      </InfoCard>
    </section>
  );
};
