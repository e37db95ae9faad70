export { CopyableCommand } from './CopyableCommand';
export type { CopyableCommandProps } from './CopyableCommand';
