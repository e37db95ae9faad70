import { parseEntityRef } from '@backstage/catalog-model';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { codemieApiRef } from '../../api';

/**
 * The create form's check that the environment's name is free in the project (page "Google
 * Cloud", once both are known): an existing environment is refused with who owns it, unless the
 * user ticked "Resume my failed create" for a failed one. `codemie:plan` checks again.
 */
export const validateEnvironmentIsFree: CustomFieldValidator<string> = async (
  projectId,
  validation,
  context,
) => {
  const name = context.formData.name;
  if (!projectId || typeof name !== 'string' || !name) return;
  const api = context.apiHolder.get(codemieApiRef);
  if (!api) return;
  let existing;
  try {
    existing = await api.getEnvironment(projectId, name);
  } catch {
    // The backend could not answer: codemie:plan checks again before anything is created.
    return;
  }
  if (!existing) return;
  if (existing.state === 'failed') {
    if (context.formData.resume === true) return;
    validation.addError(
      `${name} already exists in ${projectId}, owned by ${existing.owner}, and its create failed. Tick "Resume my failed create" to continue it with the same inputs, or choose another name.`,
    );
    return;
  }
  validation.addError(
    `${name} already exists in ${projectId}, owned by ${existing.owner} (${existing.state}). Choose another name, or destroy it first.`,
  );
};

/** The destroy form's check that the typed name is the picked environment's. */
export const validateConfirmedName: CustomFieldValidator<string> = (
  typed,
  validation,
  context,
) => {
  const picked = context.formData.environment;
  if (typeof picked !== 'string' || !picked) return;
  let name: string;
  try {
    name = parseEntityRef(picked, { defaultKind: 'resource' }).name;
  } catch {
    return;
  }
  if (typed !== name) {
    validation.addError(
      `Type the environment's name, ${name}, exactly to confirm; nothing is deleted otherwise.`,
    );
  }
};
