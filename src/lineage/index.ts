export * from './types.js';
export { traceProject } from './trace-project.js';
export { loadSqlParser, parseSql } from './sql-parser.js';
export { ColumnGraph, type ColumnRef, type LineageStep } from './column-graph.js';
export { resolveColumnAddress, type AddressableNode } from './column-address.js';
export { columnLabel, formatLineageTree, nodeLabel } from './format-tree.js';
