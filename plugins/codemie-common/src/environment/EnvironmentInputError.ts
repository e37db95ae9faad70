/**
 * One problem with one input field.
 *
 * @public
 */
export interface InputIssue {
  /** The field, as a path: `allowedNetworks[1]`, `sizing.concurrentUsers`. */
  field: string;
  /** What is wrong with it. */
  message: string;
}

/**
 * Thrown when environment inputs are invalid, before anything is created in the cloud.
 * Lists every problem, each naming its field.
 *
 * @public
 */
export class EnvironmentInputError extends Error {
  /** Every problem found, each naming its field. */
  readonly issues: InputIssue[];

  constructor(issues: InputIssue[]) {
    super(
      `Invalid CodeMie environment input: ${issues
        .map(i => `${i.field}: ${i.message}`)
        .join('; ')}`,
    );
    this.name = 'EnvironmentInputError';
    this.issues = issues;
  }

  /** The first offending field. */
  get field(): string {
    return this.issues[0]?.field ?? '';
  }
}
