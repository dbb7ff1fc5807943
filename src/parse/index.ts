export { parseProject, type ParseOptions, type ParseCounts, type ModelParseFacts } from './parse-project.js';
export { readSchemaFiles, type RawTest, type RawUnitTest, type Patch } from './schema-yaml.js';
export { mergeConfig, folderConfig, finalConfig } from './node-config.js';
export type * from './types.js';
export { rawCodeFromFile, isRawCodeFromFile } from './raw-code.js';
export { RelationNamer, fqnOf, nodeNameOf } from './relation-namer.js';
export { reparseModel, type ReparseOutcome } from './reparse-model.js';
export { propertyRenderer, type PropertyReads } from './property-render.js';
export { refTarget } from './ref-target.js';
