import { Config } from '@backstage/config';

/** The status API's settings (`codemie.status.*`, see config.d.ts). @internal */
export interface StatusSettings {
  cacheSeconds: number;
  timeoutSeconds: number;
  sampleIntervalMinutes: number;
  sampleInitialDelaySeconds: number;
  historyRetentionDays: number;
  adviceWindowDays: number;
  adviceMinHistoryHours: number;
}

function positive(
  config: Config,
  key: string,
  fallback: number,
  allowZero = false,
): number {
  const value = config.getOptionalNumber(`codemie.status.${key}`) ?? fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(
      `codemie.status.${key} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`,
    );
  }
  return value;
}

/** Reads `codemie.status` with its defaults; throws naming an invalid key. @internal */
export function readStatusConfig(config: Config): StatusSettings {
  return {
    cacheSeconds: positive(config, 'cacheSeconds', 30),
    timeoutSeconds: positive(config, 'timeoutSeconds', 20),
    sampleIntervalMinutes: positive(config, 'sampleIntervalMinutes', 5),
    sampleInitialDelaySeconds: positive(
      config,
      'sampleInitialDelaySeconds',
      60,
      true,
    ),
    historyRetentionDays: positive(config, 'historyRetentionDays', 30),
    adviceWindowDays: positive(config, 'adviceWindowDays', 7),
    adviceMinHistoryHours: positive(config, 'adviceMinHistoryHours', 24),
  };
}
