import path from 'node:path';

/** The repository's root folder, for loading the project's own catalog and template files. */
// eslint-disable-next-line no-restricted-syntax -- tests read the repository's own files, not package assets
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
