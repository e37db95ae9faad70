import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { ENVIRONMENT_INPUT_LIMITS } from '@codemie-gcp/plugin-codemie-common';
import { repoRoot } from './__testUtils__/repoRoot';

/*
 * The forms show the same bounds the actions enforce: a value the form accepts is never refused
 * later by the input contract for being out of range, and the form never refuses a value the
 * contract allows.
 */
const templateFile = (name: string) =>
  yaml.parse(
    fs.readFileSync(
      path.join(repoRoot, 'templates', name, 'template.yaml'),
      'utf8',
    ),
  );

/** Every property of the template's pages, with nested objects flattened by name. */
function propertiesOf(template: any): Record<string, any> {
  const found: Record<string, any> = {};
  const walk = (properties: Record<string, any> = {}) => {
    for (const [name, schema] of Object.entries(properties)) {
      found[name] = schema;
      if (schema?.properties) walk(schema.properties);
    }
  };
  for (const page of [template.spec.parameters].flat()) {
    walk(page.properties);
    for (const branch of page.dependencies
      ? Object.values(page.dependencies)
      : [])
      for (const option of (branch as any).oneOf ?? []) walk(option.properties);
  }
  return found;
}

const SIZING_FIELDS = [
  'concurrentUsers',
  'vectorDatasourceGiB',
  'logRetentionDays',
] as const;

describe.each(['create-codemie-environment', 'resize-codemie-environment'])(
  'the %s form',
  name => {
    const properties = propertiesOf(templateFile(name));

    it.each(SIZING_FIELDS)('%s has the input contract’s bounds', field => {
      expect(properties[field]).toBeDefined();
      expect({
        min: properties[field].minimum,
        max: properties[field].maximum,
      }).toEqual(ENVIRONMENT_INPUT_LIMITS[field]);
    });

    it.each(SIZING_FIELDS)(
      '%s says the bound it enforces, as users read numbers',
      field => {
        const { max } = ENVIRONMENT_INPUT_LIMITS[field];
        expect(properties[field].errorMessage.maximum).toContain(
          max.toLocaleString('en-US'),
        );
      },
    );
  },
);
