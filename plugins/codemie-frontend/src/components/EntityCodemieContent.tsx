import { useEntity } from '@backstage/plugin-catalog-react';
import { Content, EmptyState } from '@backstage/core-components';

/**
 * Placeholder for the CodeMie tab: the status table arrives with the status API.
 *
 * @internal
 */
export const EntityCodemieContent = () => {
  const { entity } = useEntity();
  return (
    <Content>
      <EmptyState
        missing="data"
        title={`CodeMie status for ${entity.metadata.name}`}
        description="The component health table appears here once the status API is available."
      />
    </Content>
  );
};
