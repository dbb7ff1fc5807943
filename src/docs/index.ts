export { buildSiteData, type DocsArtifacts } from './site-data.js';
export { readDocsArtifacts } from './read-artifacts.js';
export { writeDocsSite, siteAssetsDir, type WriteSiteResult } from './write-site.js';
export { writeStaticIndex } from './static-index.js';
export { writeRootIndex } from './root-index.js';
export { serveDocs, openBrowser, siteExists } from './serve-docs.js';
export type { WarehouseFacts, TestHistoryEntry, LandedFile, SiteData, SiteNode, SiteColumn, SiteRun, LineageFile, LineageNode, LineageEdge } from './site-types.js';
