export { selectNodes, type SelectOptions } from './select-nodes.js';
export { formatList } from './format-list.js';
export { readStateManifest, type StateManifest } from './state-manifest.js';
