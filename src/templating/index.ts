export { createTemplateEngine, JinjaTemplateEngine } from './template-engine.js';
export { scanMacros, extractDocBlocks } from './macro-scan.js';
export { builtinMacroFiles } from './builtin-macros.js';
export type * from './types.js';
