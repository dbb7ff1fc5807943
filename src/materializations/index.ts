export { materializeNode, isRunnable } from './materialize-node.js';
export { buildAndSwap, stagingRelation, STAGING_SUFFIX } from './swap.js';
export { uniqueKeyOf } from './incremental.js';
export type { BatchResults, MaterializeInput, MaterializeResult, RelationLookup } from './types.js';
export { isMicrobatch, type MicrobatchRun } from './microbatch.js';
export { BATCH_SIZES, batchId, formatBatchStart, batchesBetween, isBatchSize, microbatchWindow, parseInstant, eventTimeCondition, type Batch, type BatchSize } from './microbatch-window.js';
export { constraintWarnings } from './contract.js';
export { applyGrants, grantMap, grantWarnings } from './grants.js';
export { planClone, executeClone, type ClonePlan, type CloneInput } from './clone.js';
