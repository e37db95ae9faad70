/*
 * The sizing preview's planning, off the backend's event loop: planning a large environment
 * verifies every candidate node pool under a kube-scheduler model and can take a second of CPU.
 * Loaded by src/service/PlanPreviewPool.ts; receives `{ id, request }`, answers
 * `{ id, result }` or `{ id, error: { name, message } }`.
 */
const { parentPort, workerData } = require('node:worker_threads');

// In the repository (no build) the common package's entry is TypeScript: load it the way the
// Backstage CLI runs backends; a published package points at its compiled JavaScript.
if (require.resolve('@codemie-gcp/plugin-codemie-common').endsWith('.ts')) {
  require('@backstage/cli/config/nodeTransform.cjs');
}
const { previewPlan } = require('@codemie-gcp/plugin-codemie-common');

parentPort.on('message', ({ id, request }) => {
  try {
    parentPort.postMessage({ id, result: previewPlan(request, workerData.prices) });
  } catch (e) {
    parentPort.postMessage({
      id,
      error: { name: e?.name ?? 'Error', message: String(e?.message ?? e) },
    });
  }
});
