export { Compiler, renderNodeOf, type CompilerOptions } from './compiler.js';
export { RelationIndex } from './relations.js';
export { injectCtes, type Cte } from './inject-ctes.js';
