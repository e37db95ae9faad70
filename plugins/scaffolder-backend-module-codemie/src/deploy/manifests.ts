/**
 * The rendered manifests as YAML files in the scaffolder workspace, one per component
 * (`manifests/<component>.yaml`), for a later step to commit to a GitOps repository. They are
 * rendered without secret values: Secrets appear with their name, type and labels only.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { dumpYaml } from '@kubernetes/client-node';
import { RenderedComponent } from './render';

/** Workspace folder of the written manifests. @internal */
export const MANIFESTS_DIR = 'manifests';

/** YAML of one component: its objects as documents separated by `---`. */
export function componentYaml(component: RenderedComponent): string {
  const header = `# CodeMie component ${component.componentId}: rendered by codemie:deploy (secret values omitted)\n`;
  return header + component.objects.map(o => `---\n${dumpYaml(o)}`).join('');
}

/** Writes every component (rendered without secrets) and returns the relative paths. */
export async function writeManifests(
  workspacePath: string,
  components: RenderedComponent[],
): Promise<string[]> {
  if (
    components.some(c =>
      c.objects.some(
        o => o.kind === 'Secret' && ((o as any).data || (o as any).stringData),
      ),
    )
  ) {
    // Guard: the caller must render without secret values for the workspace.
    throw new Error('Refusing to write manifests that contain secret values');
  }
  const dir = path.join(workspacePath, MANIFESTS_DIR);
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const c of components) {
    const file = path.join(MANIFESTS_DIR, `${c.componentId}.yaml`);
    await fs.writeFile(
      path.join(workspacePath, file),
      componentYaml(c),
      'utf8',
    );
    written.push(file);
  }
  return written;
}
