export { materializeNode, isRunnable } from './materialize-node.js';
export { buildAndSwap, stagingRelation, STAGING_SUFFIX } from './swap.js';
export type { MaterializeInput, MaterializeResult } from './types.js';
export { constraintWarnings } from './contract.js';
export { grantWarnings } from './grants.js';
export { planClone, executeClone, type ClonePlan, type CloneInput } from './clone.js';
