export { createTemplateEngine, JinjaTemplateEngine } from './template-engine.js';
export { TemplateCodeCache } from './template-code-cache.js';
export { scanMacros, extractDocBlocks, macroNameOf } from './macro-scan.js';
export { builtinMacroFiles } from './builtin-macros.js';
export { BUILTIN_MATERIALIZATIONS, isBuiltinMaterialization, duplicateMaterialization, findMaterialization, ignoredOverrides } from './materialization-lookup.js';
export type * from './types.js';
export { strategyMacroName, strategyMacroOf } from './strategy-macro.js';
