import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the CodeMie plugins. */
  codemie?: {
    /** The catalog entities of the environments the portal provisioned. */
    catalog?: {
      /** System the environment entities belong to unless the template names one. */
      defaultSystem?: string;
      /**
       * The full refresh of the environment entities (changes show at once through events;
       * this is the fallback). Default every minute, timeout one minute; at least 10 seconds.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
