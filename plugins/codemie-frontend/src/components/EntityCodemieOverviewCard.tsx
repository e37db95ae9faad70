import { useEntity } from '@backstage/plugin-catalog-react';
import { InfoCard } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import { CODEMIE_ANNOTATIONS } from '@codemie-gcp/plugin-codemie-common';

/**
 * Placeholder overview card: names the environment's cluster from its annotations.
 *
 * @internal
 */
export const EntityCodemieOverviewCard = () => {
  const { entity } = useEntity();
  const cluster =
    entity.metadata.annotations?.[CODEMIE_ANNOTATIONS.gkeCluster] ??
    'no cluster annotation';
  return (
    <InfoCard title="CodeMie">
      <Typography variant="body2">GKE cluster: {cluster}</Typography>
    </InfoCard>
  );
};
