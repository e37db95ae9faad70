/**
 * Kubernetes resource quantities (`"250m"`, `"4"`, `"8Gi"`, `"1913600Ki"`, `"12345678n"`) in the
 * units the plugin uses everywhere: CPU millicores, memory MiB, storage GiB.
 */

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

// The API server's grammar: a signed decimal, then an exponent (`1e9`) or a suffix, not both.
const QUANTITY =
  /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/**
 * True if `value` is a valid Kubernetes quantity.
 *
 * @public
 */
export function isQuantity(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && QUANTITY.test(value.trim());
}

/**
 * The value of a quantity in base units (cores, bytes), or undefined when absent or malformed.
 *
 * @public
 */
export function parseQuantity(
  quantity: string | number | undefined | null,
): number | undefined {
  if (quantity === undefined || quantity === null) return undefined;
  if (typeof quantity === 'number') return quantity;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const [, number, exponent, suffix] = match;
  const base = Number(number);
  if (exponent) return base * 10 ** Number(exponent.slice(1));
  if (!suffix) return base;
  return base * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** CPU quantity → millicores (0 when absent). @public */
export function parseCpuMillis(
  quantity: string | number | undefined | null,
): number {
  const cores = parseQuantity(quantity);
  return cores === undefined ? 0 : cores * 1000;
}

/** Memory quantity → MiB (0 when absent). @public */
export function parseMemoryMiB(
  quantity: string | number | undefined | null,
): number {
  const bytes = parseQuantity(quantity);
  return bytes === undefined ? 0 : bytes / 2 ** 20;
}

/** Storage quantity → GiB (0 when absent). @public */
export function parseStorageGiB(
  quantity: string | number | undefined | null,
): number {
  const bytes = parseQuantity(quantity);
  return bytes === undefined ? 0 : bytes / 2 ** 30;
}

/** Rounds to `decimals` places (whole millicores/MiB, GiB to 0.1) for the response. @public */
export function roundTo(value: number, decimals = 0): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
