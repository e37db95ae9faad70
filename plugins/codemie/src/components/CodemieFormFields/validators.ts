import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { codemieEnvironmentUpdatePermission } from '@codemie-gcp/plugin-codemie-common';
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

/** Lifecycle states a resize may start from (as `codemie:resize` checks). */
const RESIZABLE = ['ready', 'resizing', 'failed'];

/**
 * The resize form's check of the picked environment (on "Next"): recorded by this portal, the
 * user allowed `codemie.environment.update` on it (its owners, under the portal's policy), and
 * in a state a resize can start from. `codemie:resize` checks all of it again.
 */
export const validateMayResize: CustomFieldValidator<string> = async (
  value,
  validation,
  context,
) => {
  if (!value) return;
  let ref;
  try {
    ref = parseEntityRef(value, { defaultKind: 'resource' });
  } catch {
    validation.addError(
      `'${value}' is not an environment; pick one from the list.`,
    );
    return;
  }
  const entityRef = stringifyEntityRef(ref);
  const codemie = context.apiHolder.get(codemieApiRef);
  let existing;
  try {
    existing = await codemie?.getEnvironment(ref.namespace, ref.name);
  } catch {
    // The backend could not answer: codemie:resize checks again before anything changes.
    return;
  }
  if (codemie && !existing) {
    validation.addError(
      `${ref.name} in ${ref.namespace} was not created by this portal: only environments made with "Create CodeMie environment" can be resized here.`,
    );
    return;
  }
  const permissions = context.apiHolder.get(permissionApiRef);
  if (permissions) {
    const decision = await permissions
      .authorize({
        permission: codemieEnvironmentUpdatePermission,
        resourceRef: entityRef,
      })
      .catch(() => undefined);
    if (decision && decision.result !== AuthorizeResult.ALLOW) {
      validation.addError(
        `You may not resize ${ref.name}: it is owned by ${existing?.owner ?? 'another team'}, and only its owners may change it. Pick an environment your team owns, or ask its owners.`,
      );
      return;
    }
  }
  if (existing && !RESIZABLE.includes(existing.state)) {
    validation.addError(
      `${ref.name} is ${existing.state}: only a ready environment can be resized. Wait for its task to finish.`,
    );
  }
};
