/**
 * What a resize of a recorded environment takes: a named tier or new sizing inputs, and
 * optionally a version of CodeMie's images. One zod schema: `codemie:resize` publishes it as
 * its input schema, `resolveResize` parses with it, and the sizing inputs are the environment
 * contract's own field (same bounds, same reasons).
 */
import type { z as zod } from 'zod/v3';
import { environmentInputFields } from '../environment/environmentInputContract';
import { SIZE_CLASSES } from '../sizing';

/**
 * The tiers a resize may name: the sizing presets, or `custom` (the sizing inputs given).
 *
 * @public
 */
export const RESIZE_TIERS = [...SIZE_CLASSES, 'custom'] as const;

/**
 * A tier a resize can target: a size class, or `custom` for explicit sizing.
 *
 * @public
 */
export type ResizeTier = (typeof RESIZE_TIERS)[number];

/**
 * An image tag: what OCI allows (letters, digits, `_`, `.`, `-`; at most 128; not starting with
 * `.` or `-`; https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests).
 *
 * @public
 */
export const IMAGE_VERSION_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';

/**
 * The resize's own inputs, one zod schema per field (`createTemplateAction`'s form).
 *
 * @public
 */
export const resizeInputFields = {
  tier: (z: typeof zod) =>
    z
      .enum(RESIZE_TIERS as unknown as [string, ...string[]])
      .optional()
      .describe(
        `Named tier (${SIZE_CLASSES.join(', ')}: the preset's users, datasources and log retention; the LLM proxy stays as recorded) or custom (give sizing). Absent: keep the recorded sizing`,
      ),
  sizing: (z: typeof zod) =>
    environmentInputFields
      .sizing(z)
      .optional()
      .describe('New sizing inputs (with tier custom or no tier)'),
  imageVersion: (z: typeof zod) =>
    z
      .string()
      .regex(new RegExp(IMAGE_VERSION_PATTERN))
      .optional()
      .describe(
        "Tag of CodeMie's own images to roll out (e.g. 1.4.2); absent: keep the deployed one",
      ),
};
