// Validates Kubernetes objects (a JSON array on stdin) against the Kubernetes OpenAPI schema
// with kubernetes-models' generated validators. Run by Node itself: the package is ESM-only
// (its `exports` have only an `import` condition), which jest's CommonJS resolver cannot load.
// Prints `[{ object, errors }]` for the objects that fail, `[]` when all pass.
const input = await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => (text += chunk));
  process.stdin.on('end', () => resolve(text));
});
const objects = JSON.parse(input);
const failures = [];
for (const object of objects) {
  const id = `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
  const group = object.apiVersion; // e.g. v1, apps/v1, networking.k8s.io/v1
  let Model;
  try {
    Model = (await import(`kubernetes-models/${group}`))[object.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    failures.push({
      object: id,
      errors: [`no model for ${group} ${object.kind}`],
    });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    failures.push({ object: id, errors: [String(e.message ?? e)] });
  }
}
process.stdout.write(JSON.stringify(failures));
