import { Config } from '@backstage/config';
import { DEFAULT_RETRY_POLICY, RetryPolicy } from '../provisioning/retry';

/** `codemie.gcp.retry` from app-config over the defaults (tests shorten the waits). */
export function retryPolicyFromConfig(config: Config): RetryPolicy {
  const c = config.getOptionalConfig('codemie.gcp.retry');
  return {
    attempts: c?.getOptionalNumber('attempts') ?? DEFAULT_RETRY_POLICY.attempts,
    baseDelayMillis:
      c?.getOptionalNumber('baseDelayMillis') ??
      DEFAULT_RETRY_POLICY.baseDelayMillis,
    maxDelayMillis:
      c?.getOptionalNumber('maxDelayMillis') ??
      DEFAULT_RETRY_POLICY.maxDelayMillis,
    pollMillis:
      c?.getOptionalNumber('pollMillis') ?? DEFAULT_RETRY_POLICY.pollMillis,
    maxPollMillis:
      c?.getOptionalNumber('maxPollMillis') ??
      DEFAULT_RETRY_POLICY.maxPollMillis,
  };
}
