import ObservableImpl from 'zen-observable';
import {
  LogEvent,
  ScaffolderClient,
} from '@backstage/plugin-scaffolder-common';
import { UserFacingScaffolderClient } from './UserFacingScaffolderClient';
import { STACK_OMITTED } from './withoutStackFrames';

const event = (id: number, message: string): LogEvent => ({
  id,
  taskId: 't1',
  type: 'log',
  createdAt: '2026-11-29T23:16:58.000Z',
  body: { message, stepId: 'plan', status: 'failed' },
});

describe('UserFacingScaffolderClient', () => {
  afterEach(() => jest.restoreAllMocks());

  it('streams task logs without stack frames, everything else as the server sent it', async () => {
    const failed = event(
      2,
      'Error: boom\n    at handler (/srv/plugins/codemie-backend/src/actions/x.ts:1:1)',
    );
    const completion: LogEvent = {
      ...event(3, 'Run completed with status: failed'),
      type: 'completion',
    };
    const upstream = jest
      .spyOn(ScaffolderClient.prototype, 'streamLogs')
      .mockReturnValue(
        ObservableImpl.of(event(1, 'info: creating VPC'), failed, completion),
      );
    const client = new UserFacingScaffolderClient({
      discoveryApi: { getBaseUrl: async () => 'http://backend/api/scaffolder' },
      scmIntegrationsApi: {} as any,
      fetchApi: { fetch },
    });

    const seen: LogEvent[] = [];
    await new Promise<void>((resolve, reject) =>
      client.streamLogs({ taskId: 't1', after: 0 }).subscribe({
        next: e => seen.push(e),
        error: reject,
        complete: resolve,
      }),
    );

    expect(upstream).toHaveBeenCalledWith({ taskId: 't1', after: 0 });
    expect(seen.map(e => e.body.message)).toEqual([
      'info: creating VPC',
      `Error: boom\n${STACK_OMITTED}`,
      'Run completed with status: failed',
    ]);
    expect(seen[1]).toEqual({
      ...failed,
      body: { ...failed.body, message: `Error: boom\n${STACK_OMITTED}` },
    });
    expect(seen[2]).toBe(completion);
  });
});
