export * from './types.js';
export * from './manifest-writer.js';
export * from './run-results-writer.js';
export * from './write-artifact.js';
export { writeManifestFile } from './manifest-file.js';
export { STRATA_VERSION } from './version.js';
export { graphContext } from './graph-context.js';
export { catalogArtifact, type CatalogEntry } from './catalog-writer.js';
export { metadataEnv } from './metadata-env.js';
