import { SandboxClock } from './SandboxClock';

const START = Date.parse('2026-08-03T10:00:00Z');

describe('SandboxClock, manual', () => {
  it('stands still until advanced, then fires what fell due, in order', async () => {
    const clock = new SandboxClock({ mode: 'manual', startAt: START });
    const fired: string[] = [];
    clock.sleep(30_000).then(() => fired.push('30 s'));
    clock.sleep(10_000).then(() => fired.push('10 s'));
    clock.sleep(60_000).then(() => fired.push('60 s'));
    await clock.advance(0);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(START);

    await clock.advance(30_000);
    expect(fired).toEqual(['10 s', '30 s']);
    expect(clock.now()).toBe(START + 30_000);
    expect(clock.nowIso()).toBe('2026-08-03T10:00:30.000Z');
    expect(clock.pendingTimers).toBe(1);
  });

  it('runs until idle, following timers that schedule more (a poll loop)', async () => {
    const clock = new SandboxClock({ mode: 'manual', startAt: START });
    const polledAt: number[] = [];
    const poll = async () => {
      for (let i = 0; i < 3; i++) {
        polledAt.push(clock.now() - START);
        await clock.sleep(2_000);
      }
    };
    const done = poll();
    await clock.runUntilIdle();
    await done;
    expect(polledAt).toEqual([0, 2_000, 4_000]);
    expect(clock.now()).toBe(START + 6_000);
  });

  it('refuses to run forever', async () => {
    const clock = new SandboxClock({ mode: 'manual' });
    const controller = new AbortController();
    const forever = (async () => {
      for (;;) await clock.sleep(60_000, controller.signal);
    })().catch(() => undefined);
    await expect(clock.runUntilIdle(3_600_000)).rejects.toThrow(
      'still waiting after 3600000 simulated ms',
    );
    controller.abort();
    await forever;
  });

  it('wakes a sleeper at once with the reason when its signal aborts', async () => {
    const clock = new SandboxClock({ mode: 'manual' });
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('task cancelled'));
    await expect(sleeping).rejects.toThrow('task cancelled');
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('SandboxClock, auto', () => {
  it('jumps to the next timer whenever everything waits', async () => {
    const clock = new SandboxClock({ mode: 'auto', startAt: START });
    // An hour of simulated waiting passes without the test moving time.
    await clock.sleep(3_600_000);
    expect(clock.now()).toBe(START + 3_600_000);
  });
});

describe('SandboxClock, real', () => {
  it('runs at timeScale real ms per simulated second; advance jumps now', async () => {
    const clock = new SandboxClock({ timeScale: 1000, startAt: START });
    expect(clock.realMillis(2)).toBe(2000);
    await clock.advance(4 * 24 * 3600 * 1000);
    expect(clock.now()).toBeGreaterThanOrEqual(START + 4 * 24 * 3600 * 1000);
    await expect(clock.runUntilIdle()).rejects.toThrow('manual or auto');
  });
});
