/** How the CLI prints a column's lineage: loaded by `strata lineage` alone. */
export { columnLabel, formatLineageTree, nodeLabel } from '../lineage/index.js';
