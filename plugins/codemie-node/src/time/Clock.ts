/**
 * The time the actions and pollers wait on. Product code takes it as an option and defaults to
 * {@link realClock}; tests pass a clock they drive by hand (the GCP sandbox's `SandboxClock` in
 * manual mode has this shape), so no test waits on the wall clock.
 *
 * @public
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Resolves after `millis` milliseconds of this clock's time. Rejects with the signal's reason
   * as soon as `signal` aborts (at once when it already has).
   */
  sleep(millis: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

/**
 * Wall-clock time: `Date.now()` and `setTimeout`. The default of everything that takes a
 * {@link Clock}.
 *
 * @public
 */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep(millis, signal) {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const state: { timer?: ReturnType<typeof setTimeout> } = {};
      const onAbort = () => {
        clearTimeout(state.timer);
        reject(abortReason(signal!));
      };
      state.timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, millis);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
