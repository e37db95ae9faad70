import { AuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CodemieEnvironmentStore,
  GoogleClients,
} from '@codemie-gcp/plugin-codemie-node';
import { createCodemieDeployAction } from './codemieDeploy';
import { createCodemiePlanAction } from './codemiePlan';
import { createCodemieGcpProvisionAction } from './codemieGcpProvision';
import { createCodemieGcpDestroyAction } from './codemieGcpDestroy';
import { createCodemieEnvironmentRegisterAction } from './codemieEnvironmentRegister';
import { createCodemieResizeAction } from './codemieResize';

/** What every CodeMie action is built from. */
export interface CodemieActionOptions {
  config: Config;
  google: GoogleClients;
  store: CodemieEnvironmentStore;
  permissions: PermissionsService;
  catalog: CatalogService;
  auth: AuthService;
}

/**
 * All CodeMie scaffolder actions.
 *
 * @internal
 */
export function createCodemieActions(
  options: CodemieActionOptions,
): TemplateAction<any, any, any>[] {
  return [
    createCodemiePlanAction(options),
    createCodemieGcpProvisionAction(options),
    createCodemieGcpDestroyAction(options),
    createCodemieEnvironmentRegisterAction(options),
    createCodemieDeployAction(options),
    createCodemieResizeAction(options),
  ];
}
