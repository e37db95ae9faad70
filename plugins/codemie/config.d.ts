export interface Config {
  /** Configuration of the CodeMie plugins. */
  codemie?: {
    /** The entity page's CodeMie tab and overview card. */
    frontend?: {
      /**
       * Seconds between automatic refreshes of the CodeMie tab and card. Default 30; 0 turns
       * auto-refresh off; values below 5 are raised to 5.
       *
       * @visibility frontend
       */
      refreshIntervalSeconds?: number;
    };
  };
}
