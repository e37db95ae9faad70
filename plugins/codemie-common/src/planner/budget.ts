/**
 * Bounds on the planner's work: every call of the planner carries a budget of elementary steps
 * (packing search nodes, scheduler decisions) and a wall-clock deadline, and stops with a
 * {@link PlanningError} when either runs out, whatever the input.
 */

/**
 * Thrown when inputs are valid but no plan exists (no machine type fits, or the plan would be
 * larger than one environment is planned for), or when planning would take more than its budget.
 *
 * @public
 */
export class PlanningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanningError';
  }
}

/**
 * Default work budget of one planner call, in elementary steps. The presets need well under a
 * tenth of it; measured by `npm run bench:planner`.
 *
 * @public
 */
export const DEFAULT_PLANNER_WORK_STEPS = 40_000_000;

/**
 * Default wall-clock budget of one planner call, milliseconds.
 *
 * @public
 */
export const DEFAULT_PLANNER_TIME_BUDGET_MS = 5_000;

/**
 * A budget of steps and time; `spend` throws {@link PlanningError} once it is exhausted.
 *
 * @public
 */
export class WorkBudget {
  private remaining: number;
  private readonly deadline: number;
  private sinceClock = 0;

  constructor(
    steps: number = DEFAULT_PLANNER_WORK_STEPS,
    timeMs: number = DEFAULT_PLANNER_TIME_BUDGET_MS,
    private readonly what = 'planning',
  ) {
    this.remaining = steps;
    this.deadline = Date.now() + timeMs;
  }

  /** Steps left. */
  get left(): number {
    return this.remaining;
  }

  /** Counts `steps` of work; throws when the budget of steps or time is used up. */
  spend(steps = 1): void {
    this.remaining -= steps;
    this.sinceClock += steps;
    if (this.remaining < 0) this.fail('its budget of work');
    // Reading the clock costs more than a step: look every 100,000 steps.
    if (this.sinceClock >= 100_000) {
      this.sinceClock = 0;
      if (Date.now() > this.deadline) this.fail('its time budget');
    }
  }

  private fail(what: string): never {
    throw new PlanningError(
      `${this.what} used up ${what} before finding a plan that holds: the environment is larger than one ` +
        'node pool plan can be verified for; split it into several environments, or contact the CodeMie team',
    );
  }
}
