import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { codemieApiRef, UsageHistoryWindow } from '../api';

/**
 * Usage history of the environment over a window; `retry` re-reads it, and so does a change of
 * `refreshKey` (the page's manual refresh).
 */
export function useCodemieHistory(
  entityRef: CompoundEntityRef,
  window: UsageHistoryWindow,
  refreshKey = 0,
) {
  const codemieApi = useApi(codemieApiRef);
  const { kind, namespace, name } = entityRef;
  return useAsyncRetry(
    () => codemieApi.getHistory({ kind, namespace, name }, window),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [codemieApi, kind, namespace, name, window, refreshKey],
  );
}
