export { selectNodes, type SelectOptions, type ColumnSelector } from './select-nodes.js';
export { formatList } from './format-list.js';
export { readStateManifest, type StateManifest } from './state-manifest.js';
export { withoutEmptyNodes } from './empty-nodes.js';
export { unitTestsWithModels } from './unit-tests-with-models.js';
