import { CacheService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ACCESS_CACHE_SECONDS,
  RECORD_CACHE_SECONDS,
  StatusService,
} from './StatusService';
import { PROJECT, environmentEntity } from './__testUtils__/sandboxEnvironment';

const ref = { kind: 'resource', namespace: 'default', name: 'demo' };
const ana = mockCredentials.user('user:default/ana');
const eve = mockCredentials.user('user:default/eve');

/** The Backstage cache service as a map (the entries carry their own expiry). */
function mapCache(): CacheService {
  const values = new Map<string, any>();
  const cache: CacheService = {
    get: async (key: string) => values.get(key),
    set: async (key: string, value: any) => {
      values.set(key, value);
    },
    delete: async (key: string) => {
      values.delete(key);
    },
    withOptions: () => cache,
  } as CacheService;
  return cache;
}

/** A status service on a catalog with the demo environment; who is allowed is up to the test. */
function setup(options: { accessCacheSeconds?: number } = {}) {
  let now = Date.parse('2026-07-01T12:00:00Z');
  const allowed = new Set(['user:default/ana', 'user:default/eve']);
  const authorize = jest.fn(async (_requests: unknown, { credentials }) => [
    {
      result: allowed.has(credentials.principal.userEntityRef)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    },
  ]);
  const catalog = catalogServiceMock({ entities: [environmentEntity('demo')] });
  const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  const cache = mapCache();
  let record: any = undefined;
  const service = new StatusService({
    catalog,
    permissions: mockServices.permissions.mock({
      authorize: authorize as any,
    }),
    cache,
    records: { getEnvironmentByEntityRef: async () => record },
    externalProjects: [PROJECT],
    reader: { read: jest.fn() },
    logger: mockServices.logger.mock(),
    cacheSeconds: 30,
    adviceWindowHours: 168,
    maxHistoryHours: 720,
    now: () => now,
    ...options,
  });
  return {
    service,
    cache,
    allowed,
    authorize,
    getEntityByRef,
    catalog,
    advance: (ms: number) => {
      now += ms;
    },
    setRecord: (value: unknown) => {
      record = value;
    },
  };
}

describe('StatusService.environmentFor', () => {
  it('reuses a granted access for a few seconds: no catalog read, no permission request', async () => {
    const { service, authorize, getEntityByRef, advance } = setup();
    const first = await service.environmentFor(ref, ana);
    expect(first.entityRef).toBe('resource:default/demo');
    advance(ACCESS_CACHE_SECONDS * 1000 - 1);
    await expect(service.environmentFor(ref, ana)).resolves.toEqual(first);
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
    expect(authorize).toHaveBeenCalledTimes(1);
  });

  it('a user who loses access loses it once the access window has passed', async () => {
    const { service, allowed, advance } = setup();
    await service.environmentFor(ref, ana);
    allowed.delete('user:default/ana');
    advance(ACCESS_CACHE_SECONDS * 1000 - 1);
    // The documented window: the last check still holds.
    await expect(service.environmentFor(ref, ana)).resolves.toBeDefined();
    advance(1);
    await expect(service.environmentFor(ref, ana)).rejects.toThrow(
      'Not allowed to read the status of resource:default/demo',
    );
  });

  it('an entity the user can no longer see is a 404 once the access window has passed', async () => {
    const { service, catalog, advance } = setup();
    await service.environmentFor(ref, ana);
    jest.spyOn(catalog, 'getEntityByRef').mockResolvedValue(undefined);
    advance(ACCESS_CACHE_SECONDS * 1000);
    await expect(service.environmentFor(ref, ana)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it("never lends one caller's access to another, and never keeps a refusal", async () => {
    const { service, allowed, authorize } = setup();
    allowed.delete('user:default/eve');
    await service.environmentFor(ref, ana);
    await expect(service.environmentFor(ref, eve)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    // A plugin acting for ana is asked about on its own, too.
    await service.environmentFor(
      ref,
      mockCredentials.user('user:default/ana', {
        actor: { subject: 'plugin:other' },
      } as any),
    );
    expect(authorize).toHaveBeenCalledTimes(3);
    // Granted a moment later: answered at once, not after the window.
    allowed.add('user:default/eve');
    await expect(service.environmentFor(ref, eve)).resolves.toBeDefined();
  });

  it('shares a granted access through the cache service (another replica)', async () => {
    const one = setup();
    await one.service.environmentFor(ref, ana);
    const other = new StatusService({
      ...(one.service as any).options,
      cache: one.cache,
    });
    const reads = one.getEntityByRef.mock.calls.length;
    await other.environmentFor(ref, ana);
    expect(one.getEntityByRef).toHaveBeenCalledTimes(reads);
    expect(one.authorize).toHaveBeenCalledTimes(1);
  });

  describe('the environment record', () => {
    // The portal now records an environment that claims this entity (its own entity elsewhere).
    const claimed = {
      environmentRef: `${PROJECT}/demo`,
      entityRef: 'resource:default/demo',
      state: 'ready',
    };

    it('shows a change at once when the store announces it', async () => {
      const { service, setRecord } = setup();
      await service.environmentFor(ref, ana);
      setRecord(claimed);
      service.forgetRecords();
      await expect(service.environmentFor(ref, ana)).rejects.toMatchObject({
        name: 'ConflictError',
      });
    });

    it('shows an unannounced change (another replica) within the record window', async () => {
      const { service, setRecord, advance } = setup();
      await service.environmentFor(ref, ana);
      setRecord(claimed);
      advance(RECORD_CACHE_SECONDS * 1000 - 1);
      await expect(service.environmentFor(ref, ana)).resolves.toBeDefined();
      advance(1);
      await expect(service.environmentFor(ref, ana)).rejects.toMatchObject({
        name: 'ConflictError',
      });
    });

    it('does not keep a read that raced a change', async () => {
      const { service, setRecord, advance } = setup();
      let release!: () => void;
      const gate = new Promise<void>(r => {
        release = r;
      });
      const records = (service as any).options.records;
      const read = records.getEnvironmentByEntityRef;
      records.getEnvironmentByEntityRef = async (entityRef: string) => {
        const before = await read(entityRef);
        await gate;
        return before;
      };
      const slow = service.environmentFor(ref, ana);
      // The record changes while the read is in flight.
      await new Promise(r => setImmediate(r));
      setRecord(claimed);
      service.forgetRecords();
      release();
      await slow;
      records.getEnvironmentByEntityRef = read;
      advance(1);
      await expect(service.environmentFor(ref, ana)).rejects.toMatchObject({
        name: 'ConflictError',
      });
    });
  });

  it('checks every request when the window is 0', async () => {
    const { service, authorize } = setup({ accessCacheSeconds: 0 });
    await service.environmentFor(ref, ana);
    await service.environmentFor(ref, ana);
    expect(authorize).toHaveBeenCalledTimes(2);
  });
});
