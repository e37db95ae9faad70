import { validateEnvironmentInput } from '@codemie-gcp/plugin-codemie-common';
import {
  CreateRequest,
  ENVIRONMENT_STATES,
  RecordFacts,
  canMove,
  decideCreate,
} from './environmentLifecycle';

const input = validateEnvironmentInput({
  name: 'dup-a',
  projectId: 'acme-trial-4821',
  region: 'us-east1',
  option: 'public',
  allowedNetworks: ['203.0.113.0/24'],
  domain: 'codemie.example.com',
  sizing: {
    concurrentUsers: 100,
    vectorDatasourceGiB: 20,
    logRetentionDays: 14,
    llmProxyType: 'litellm',
  },
});

const existing = (patch: Partial<RecordFacts> = {}): RecordFacts => ({
  projectId: 'acme-trial-4821',
  name: 'dup-a',
  owner: 'group:default/team-a',
  createdBy: 'user:default/ana',
  taskId: 'task-1',
  state: 'ready',
  input,
  updatedAt: new Date(0),
  ...patch,
});
const request = (patch: Partial<CreateRequest> = {}): CreateRequest => ({
  taskId: 'task-2',
  userRef: 'user:default/ana',
  input,
  owner: 'group:default/team-a',
  resume: false,
  mayUpdateExisting: false,
  ...patch,
});

describe('decideCreate', () => {
  it('creates a free name, or the name of an environment that is gone', () => {
    expect(decideCreate(undefined, request())).toEqual({ kind: 'create' });
    expect(decideCreate(existing({ state: 'gone' }), request())).toEqual({
      kind: 'create',
    });
  });

  it('refuses an existing environment, naming its project, owner and state', () => {
    for (const state of [
      'planned',
      'provisioning',
      'ready',
      'destroying',
    ] as const) {
      const decision = decideCreate(
        existing({ state }),
        request({ resume: true }),
      );
      expect(decision).toEqual({
        kind: 'refuse',
        reason: expect.stringContaining(
          `dup-a already exists in acme-trial-4821, owned by group:default/team-a (state ${state})`,
        ),
      });
    }
  });

  it('lets the holding task carry on only with its own inputs', () => {
    expect(decideCreate(existing({ taskId: 'task-2' }), request())).toEqual({
      kind: 'continue',
    });
    expect(
      decideCreate(
        existing({ taskId: 'task-2' }),
        request({ owner: 'group:default/team-b' }),
      ),
    ).toEqual({
      kind: 'refuse',
      reason: expect.stringContaining('owner: group:default/team-a recorded'),
    });
  });

  it('resumes a failed create only on request, by its creator or an owner, with the same inputs', () => {
    const failed = existing({ state: 'failed', lastError: 'provision: boom' });
    expect(decideCreate(failed, request()).kind).toBe('refuse');
    expect(decideCreate(failed, request({ resume: true }))).toEqual({
      kind: 'resume',
    });
    expect(
      decideCreate(
        failed,
        request({ resume: true, userRef: 'user:default/eve' }),
      ).kind,
    ).toBe('refuse');
    expect(
      decideCreate(
        failed,
        request({
          resume: true,
          userRef: 'user:default/eve',
          mayUpdateExisting: true,
        }),
      ),
    ).toEqual({ kind: 'resume' });
    const moved = decideCreate(
      failed,
      request({ resume: true, input: { ...input, region: 'europe-west1' } }),
    );
    expect(moved).toEqual({
      kind: 'refuse',
      reason: expect.stringContaining(
        'region: "us-east1" recorded, "europe-west1" given',
      ),
    });
  });
});

describe('canMove', () => {
  it('follows the lifecycle: forward, to failed, to destroying; never back from gone but to a new plan', () => {
    expect(canMove('planned', 'provisioning')).toBe(true);
    expect(canMove('planned', 'ready')).toBe(false);
    expect(canMove('ready', 'provisioning')).toBe(false);
    expect(canMove('gone', 'planned')).toBe(true);
    expect(canMove('gone', 'ready')).toBe(false);
    for (const state of ENVIRONMENT_STATES.filter(s => s !== 'gone')) {
      expect(canMove(state, 'destroying')).toBe(true);
    }
  });

  it('resizes a ready environment (or one whose deploy failed); a stopped resize is finished by a resize, never by a deploy', () => {
    expect(canMove('ready', 'resizing')).toBe(true);
    expect(canMove('failed', 'resizing')).toBe(true);
    expect(canMove('resizing', 'resizing')).toBe(true);
    expect(canMove('resizing', 'ready')).toBe(true);
    expect(canMove('resizing', 'deploying')).toBe(false);
    expect(canMove('resizing', 'failed')).toBe(false);
    for (const state of [
      'planned',
      'provisioning',
      'provisioned',
      'deploying',
      'destroying',
      'gone',
    ] as const) {
      expect(canMove(state, 'resizing')).toBe(false);
    }
  });
});
