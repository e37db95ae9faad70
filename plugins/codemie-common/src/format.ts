/**
 * Money and references as users read them. Pure; the frontend passes the user's locale, the
 * backend's task logs use en-US.
 */
import {
  CommonValidatorFunctions,
  KubernetesValidatorFunctions,
  parseEntityRef,
} from '@backstage/catalog-model';

/**
 * A monthly amount in US dollars, rounded to whole dollars: `$2,398`.
 *
 * @public
 */
export function formatMonthlyUsd(amount: number, locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  }).format(amount);
}

/**
 * Why `value` is not a catalog reference to an entity of one of `kinds` (default Group or User),
 * or undefined when it is. Checks the form only; whether it exists is the catalog's to say.
 *
 * @public
 */
export function ownerRefProblem(
  value: unknown,
  kinds: string[] = ['group', 'user'],
): string | undefined {
  const example =
    kinds[0] === 'system'
      ? 'system:default/codemie-on-gcp'
      : 'group:default/platform-engineering';
  if (typeof value !== 'string' || value.trim() === '') {
    return `must be a catalog entity ref such as ${example}`;
  }
  let ref;
  try {
    ref = parseEntityRef(value.trim(), { defaultNamespace: 'default' });
  } catch {
    return `'${value}' is not a catalog entity ref such as ${example}`;
  }
  if (!kinds.includes(ref.kind.toLocaleLowerCase('en-US'))) {
    return `'${value}' must name a ${kinds.join(' or ')}, e.g. ${example}`;
  }
  if (
    !KubernetesValidatorFunctions.isValidObjectName(ref.name) ||
    !CommonValidatorFunctions.isValidDnsLabel(ref.namespace)
  ) {
    return `'${value}' is not a valid entity ref: names are letters, digits, '-', '_' and '.', e.g. ${example}`;
  }
  return undefined;
}

/**
 * `value` (already checked by {@link ownerRefProblem}) in the catalog's canonical form:
 * `group:default/platform-engineering`.
 *
 * @public
 */
export function normalizeOwnerRef(value: string): string {
  const ref = parseEntityRef(value.trim(), { defaultNamespace: 'default' });
  return `${ref.kind.toLocaleLowerCase('en-US')}:${ref.namespace.toLocaleLowerCase('en-US')}/${ref.name}`;
}
