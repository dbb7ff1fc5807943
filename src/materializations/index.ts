export { materializeNode, isRunnable } from './materialize-node.js';
export { buildAndSwap, stagingRelation, STAGING_SUFFIX } from './swap.js';
export { uniqueKeyOf } from './incremental.js';
export type { MaterializeInput, MaterializeResult, RelationLookup } from './types.js';
export { constraintWarnings } from './contract.js';
export { applyGrants, grantMap, grantWarnings } from './grants.js';
export { planClone, executeClone, type ClonePlan, type CloneInput } from './clone.js';
