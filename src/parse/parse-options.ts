import type { RootOverrides } from './package-project.js';

/** How the SQL files of a parse were read: from the render cache, by the ref/source scanner, or by nunjucks. */
export interface ParseCounts {
  fromCache: number;
  scanned: number;
  rendered: number;
}

export interface ParseOptions {
  /** Folder for the partial-parse cache (the target path). Omit to parse without a cache. */
  cacheDir?: string;
  /** This build of Strata: a cache written by another build is not used (its renders may differ). */
  buildId?: string;
  /** The environment env_var() reads; a cached render is reused only if the values it read are unchanged. */
  env?: NodeJS.ProcessEnv;
  /** Parsing an installed package: the root project's folder configs, over everything the package says (as dbt). */
  rootOverrides?: RootOverrides;
  /** The incremental strategies the target's warehouse carries out (the api reads them from its adapter); unset: not checked. */
  incrementalStrategies?: readonly string[];
  /** The target's warehouse reads sources with `external_location` in place (dbt-duckdb's; its conventions say so). */
  readsExternalLocation?: boolean;
}

/**
 * What a model's (or singular test's) node was built from besides its file and the project config: the
 * config its YAML patch gave and the config its `config()` calls gave. Stored with the graph snapshot, so
 * that a later edit of its SQL can be checked against them (see `reparse-model.ts`). Empty objects are left out.
 */
export interface ModelParseFacts {
  patchConfig?: Record<string, unknown>;
  renderedConfig?: Record<string, unknown>;
}
