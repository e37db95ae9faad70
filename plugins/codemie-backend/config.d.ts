import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the CodeMie plugins. */
  codemie?: {
    /** The installation status API (`/api/codemie/v1/entities/…/status`) and its usage history. */
    status?: {
      /** How long a cluster read is served from the cache (Backstage cache). Default 30s. */
      cacheTtl?: HumanDuration | string;
      /** A read of GKE, the cluster and Cloud SQL taking longer fails with 502. Default 20s. */
      timeout?: HumanDuration | string;
      /**
       * The usage sampler's schedule: every environment's usage into its history. Default every
       * 5 minutes, first after 1 minute, timeout 5 minutes; at least a minute apart (each
       * sample reads every cluster). Runs on one replica at a time.
       */
      sampling?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** How long usage samples are kept; also the longest history window served. Default 30d. */
      historyRetention?: HumanDuration | string;
      /** How much history the sizing advice looks at (at most the retention). Default 7d. */
      adviceWindow?: HumanDuration | string;
      /** No sizing advice until the history spans this long. Default 24h. */
      adviceMinHistory?: HumanDuration | string;
      /**
       * Google Cloud projects whose CodeMie environments were created elsewhere (not by this
       * portal): their entities' annotations are trusted to name the cluster and database.
       * Environments this portal created are always read from their records. Default none.
       */
      externalProjects?: string[];
    };
  };
}
