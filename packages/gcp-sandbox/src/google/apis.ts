import type { EmulationContext } from './context';
import type { ApiHost } from './router';
import { containerApi } from './container/containerApi';
import { computeApi } from './compute/computeApi';
import { sqlApi } from './sql/sqlApi';
import { dnsApi } from './dns/dnsApi';
import { serviceUsageApi } from './extra/serviceUsageApi';
import { secretManagerApi } from './extra/secretManagerApi';
import { iamApi } from './extra/iamApi';
import { resourceManagerApi } from './extra/resourceManagerApi';
import { serviceNetworkingApi } from './extra/serviceNetworkingApi';
import { IamPolicies } from './extra/iamPolicies';
import { iapApi } from './extra/iapApi';

/** Every emulated Google API host. */
export function googleApis(ctx: EmulationContext): ApiHost[] {
  const policies = new IamPolicies(ctx);
  return [
    containerApi(ctx),
    computeApi(ctx, policies),
    sqlApi(ctx),
    dnsApi(ctx),
    serviceUsageApi(ctx),
    secretManagerApi(ctx),
    iamApi(ctx, policies),
    resourceManagerApi(ctx, policies),
    serviceNetworkingApi(ctx),
    iapApi(ctx, policies),
  ];
}
