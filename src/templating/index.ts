export { createTemplateEngine, JinjaTemplateEngine } from './template-engine.js';
export { TemplateCodeCache } from './template-code-cache.js';
export { scanMacros, extractDocBlocks } from './macro-scan.js';
export { builtinMacroFiles } from './builtin-macros.js';
export type * from './types.js';
