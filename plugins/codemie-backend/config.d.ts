export interface Config {
  /** Configuration of the CodeMie plugins. */
  codemie?: {
    /** The installation status API (`/api/codemie/v1/entities/…/status`) and its usage history. */
    status?: {
      /** Seconds a cluster read is served from the cache (Backstage cache service). Default 30. */
      cacheSeconds?: number;
      /** A read of GKE, the cluster and Cloud SQL taking longer fails with 502. Default 20. */
      timeoutSeconds?: number;
      /** Minutes between usage samples of every environment (may be fractional). Default 5. */
      sampleIntervalMinutes?: number;
      /** Seconds after start-up before the first sample. Default 60. */
      sampleInitialDelaySeconds?: number;
      /** Days usage samples are kept; also the longest history window served. Default 30. */
      historyRetentionDays?: number;
      /** Days of history the sizing advice looks at. Default 7. */
      adviceWindowDays?: number;
      /** No sizing advice until the history spans this many hours. Default 24. */
      adviceMinHistoryHours?: number;
      /**
       * Google Cloud projects whose CodeMie environments were created elsewhere (not by this
       * portal): their entities' annotations are trusted to name the cluster and database.
       * Environments this portal created are always read from their records. Default none.
       */
      externalProjects?: string[];
    };
  };
}
