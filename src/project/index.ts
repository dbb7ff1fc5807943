export { loadProject, listProjectFiles } from './load-project.js';
export { diskFileSource } from './file-source.js';
export { replaceFile } from './replace-file.js';
export { parseYamlFile, type YamlFile } from './yaml-file.js';
export { renderYamlString, renderYamlTree, type RenderYamlContext } from './render-yaml-value.js';
export { profileSearchPath } from './profiles.js';
export type * from './types.js';
export { LazyProjectFile } from './project-file.js';
export { hexDigest } from './digest.js';
