import type { ProblemDetector } from './types';

/**
 * The Cloud SQL instance could not be read: the annotation or the backend's permission.
 *
 * @internal
 */
export const unreadableDatabase: ProblemDetector = ({ database: db }) =>
  db && !db.ok
    ? [
        {
          severity: 'warning',
          component: 'postgresql',
          title: 'The Cloud SQL instance could not be read',
          detail: db.error,
          fix: "Check that the instance in the codemie.ai/cloudsql-instance annotation exists and that the backend's Google identity has roles/cloudsql.viewer on the project.",
        },
      ]
    : [];
