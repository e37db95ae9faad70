export { ComponentsTable, sortComponents } from './ComponentsTable';
export type { ComponentsTableProps } from './ComponentsTable';
