import { useCallback, useEffect, useRef, useState } from 'react';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { EnvironmentStatus } from '@codemie-gcp/plugin-codemie-common';
import { codemieApiRef } from '../api';

/** Config key of the auto-refresh interval. */
export const REFRESH_INTERVAL_CONFIG_KEY =
  'codemie.frontend.refreshIntervalSeconds';
export const DEFAULT_REFRESH_INTERVAL_SECONDS = 30;
/** Shorter intervals are raised to this, so an open tab cannot hammer the cluster. */
export const MIN_REFRESH_INTERVAL_SECONDS = 5;

/** The auto-refresh interval in ms from config; 0 means off. */
export function useRefreshIntervalMs(): number {
  const configApi = useApi(configApiRef);
  const seconds =
    configApi.getOptionalNumber(REFRESH_INTERVAL_CONFIG_KEY) ??
    DEFAULT_REFRESH_INTERVAL_SECONDS;
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.max(seconds, MIN_REFRESH_INTERVAL_SECONDS) * 1000;
}

export interface CodemieStatusState {
  /** The last status read; kept while a refresh runs or after a refresh failed. */
  status?: EnvironmentStatus;
  /** The error of the last attempt; cleared by the next success. */
  error?: Error;
  /** True until the first attempt has finished. */
  loading: boolean;
  /** True while any request runs. */
  refreshing: boolean;
  /** When the last successful response arrived. */
  lastUpdated?: Date;
  refresh: () => void;
}

/**
 * The environment's status, polled every `intervalMs` (0: no polling) while the page is
 * visible — paused while it is hidden, read at once when it is shown again. Each poll is
 * conditional (the client's `If-None-Match`): an unchanged status costs the backend no body.
 * Stale responses (an older request finishing after a newer one) are dropped.
 */
export function useCodemieStatus(
  entityRef: CompoundEntityRef,
  intervalMs: number,
): CodemieStatusState {
  const codemieApi = useApi(codemieApiRef);
  const { kind, namespace, name } = entityRef;
  const [state, setState] = useState<Omit<CodemieStatusState, 'refresh'>>({
    loading: true,
    refreshing: true,
  });
  const requestId = useRef(0);
  const mounted = useRef(true);

  const load = useCallback(() => {
    const id = ++requestId.current;
    setState(s => ({ ...s, refreshing: true }));
    codemieApi.getStatus({ kind, namespace, name }).then(
      status => {
        if (!mounted.current || id !== requestId.current) return;
        setState({
          status,
          error: undefined,
          loading: false,
          refreshing: false,
          lastUpdated: new Date(),
        });
      },
      (error: Error) => {
        if (!mounted.current || id !== requestId.current) return;
        setState(s => ({ ...s, error, loading: false, refreshing: false }));
      },
    );
  }, [codemieApi, kind, namespace, name]);

  useEffect(() => {
    mounted.current = true;
    setState({ loading: true, refreshing: true });
    load();
    return () => {
      mounted.current = false;
    };
  }, [load]);

  useEffect(() => {
    if (!intervalMs) return undefined;
    // Polls only while the page is visible: a hidden tab asks nothing, and a tab shown again
    // reads at once, then every intervalMs
    // (https://developer.mozilla.org/en-US/docs/Web/API/Document/visibilitychange_event).
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      if (timer === undefined) timer = setInterval(load, intervalMs);
    };
    const stop = () => {
      clearInterval(timer);
      timer = undefined;
    };
    const onVisibilityChange = () => {
      if (document.visibilityState === 'hidden') {
        stop();
      } else if (timer === undefined) {
        load();
        start();
      }
    };
    if (document.visibilityState !== 'hidden') start();
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [load, intervalMs]);

  return { ...state, refresh: load };
}
