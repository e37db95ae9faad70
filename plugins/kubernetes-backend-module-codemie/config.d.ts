import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the CodeMie plugins. */
  codemie?: {
    /** The Kubernetes tab of the environments (Backstage's Kubernetes plugin). */
    kubernetes?: {
      /**
       * How the Kubernetes plugin authenticates to the environments' clusters. `portal`
       * (default): with the portal's own Google credentials. `google`: with each signed-in
       * user's Google token, so users need IAM access to the clusters themselves.
       */
      auth?: 'portal' | 'google';
      /**
       * How long one read of the environment records and their clusters' endpoints is reused
       * (a changed record is picked up at once anyway). Default one minute.
       */
      refreshInterval?: HumanDuration | string;
    };
  };
}
