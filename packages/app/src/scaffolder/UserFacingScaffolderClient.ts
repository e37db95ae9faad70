import ObservableImpl from 'zen-observable';
import {
  LogEvent,
  ScaffolderClient,
} from '@backstage/plugin-scaffolder-common';
import { withoutStackFrames } from './withoutStackFrames';

/**
 * The scaffolder's API client, with task logs as users should read them: a failed step's log
 * line keeps the error's message but not the server's stack frames (see
 * {@link withoutStackFrames}). Registered for `scaffolderApiRef` in the app's APIs.
 */
export class UserFacingScaffolderClient extends ScaffolderClient {
  streamLogs(
    ...args: Parameters<ScaffolderClient['streamLogs']>
  ): ReturnType<ScaffolderClient['streamLogs']> {
    const events = super.streamLogs(...args);
    return new ObservableImpl<LogEvent>(subscriber => {
      const subscription = events.subscribe({
        next: event => {
          const message = event.body?.message;
          const shown =
            typeof message === 'string' ? withoutStackFrames(message) : message;
          subscriber.next(
            shown === message
              ? event
              : { ...event, body: { ...event.body, message: shown } },
          );
        },
        error: error => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => subscription.unsubscribe();
    });
  }
}
