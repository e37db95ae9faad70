import { Config } from '@backstage/config';
import {
  PriceOverrides,
  PriceTable,
  withPriceOverrides,
} from '@codemie-gcp/plugin-codemie-common';

/**
 * The bundled price table with `codemie.prices` from app-config merged in: negotiated discounts
 * or newer list prices replace single figures and keep the rest.
 */
export function pricesFromConfig(config: Config): PriceTable {
  const overrides = config.getOptional<PriceOverrides>('codemie.prices');
  return withPriceOverrides(overrides ?? {});
}
