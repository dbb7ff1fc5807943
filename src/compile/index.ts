export { Compiler, renderNodeOf, type BatchCompile, type CompilerOptions } from './compiler.js';
export { RelationIndex } from './relations.js';
export { injectCtes, type Cte } from './inject-ctes.js';
export { runRenderContext, indexResolver, type RunResolver, type RunRenderInput } from './run-render-context.js';
export { CompiledFileWriter } from './compiled-file-writer.js';
