export interface Config {
  /** Configuration of the CodeMie plugins. */
  codemie?: {
    /** The catalog entities of the environments the portal provisioned. */
    catalog?: {
      /** System the environment entities belong to unless the template names one. */
      defaultSystem?: string;
      /** Seconds between full refreshes (changes in this process show at once). Default 60. */
      refreshSeconds?: number;
    };
  };
}
