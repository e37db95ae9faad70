import type { ProblemDetector } from './types';

/**
 * The Cloud SQL instance is not RUNNABLE: an error when FAILED or SUSPENDED, otherwise (being
 * created, in maintenance) a warning. States:
 * https://cloud.google.com/sql/docs/postgres/admin-api/rest/v1/instances#sqlinstancestate
 *
 * @internal
 */
export const databaseNotRunnable: ProblemDetector = ({ database: db }) => {
  if (!db?.ok || db.status.state === 'RUNNABLE') return [];
  const { state, instance } = db.status;
  return [
    {
      severity:
        state === 'FAILED' || state === 'SUSPENDED' ? 'error' : 'warning',
      component: 'postgresql',
      title: `Cloud SQL instance is ${state}`,
      detail: `${instance} reports state ${state}.`,
      fix: "See the instance's operations in the Cloud SQL console; CodeMie cannot serve until the instance is RUNNABLE.",
    },
  ];
};
