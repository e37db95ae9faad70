/**
 * Thrown when a sizing input is invalid; `field` names the input.
 *
 * @public
 */
export class SizingInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SizingInputError';
    this.field = field;
  }
}
