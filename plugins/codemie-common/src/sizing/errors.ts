/**
 * Thrown when a sizing input is invalid; `field` names the input.
 *
 * @public
 */
export class SizingInputError extends Error {
  /** The sizing input that is invalid. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SizingInputError';
    this.field = field;
  }
}

/**
 * Thrown when a sizing input is valid but more than one environment is planned for (users,
 * data); the message says what to do instead (split into several environments, or size with
 * CodeMie's team).
 *
 * @public
 */
export class SizingLimitError extends SizingInputError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = 'SizingLimitError';
  }
}
