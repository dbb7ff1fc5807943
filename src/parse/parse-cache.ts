import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../project/index.js';
import type { LoadedProject, ProjectFile } from '../project/types.js';
import type { ParseRenderResult, TemplateEngine } from '../templating/types.js';
import type { SchemaFileProps } from './schema-yaml.js';
import { SECRET_ENV_NAME } from '../diagnostics/index.js';
import { envDigest, parseCacheVars, varDigest } from '../templating/render-scope.js';

const FILE = 'partial_parse.strata.json';
const FORMAT = 6;

interface CacheData {
  format: number;
  key: string;
  entries: Record<string, ParseRenderResult>;
  /**
   * Property files, parsed: `<path>:<checksum>` → what they declare, as JSON text. Kept as text, each use
   * parses a fresh copy that callers may adjust, faster than cloning objects.
   */
  schemas?: Record<string, string>;
}

/**
 * Parse-render results keyed by file checksum. The whole cache is void when anything that can change a
 * render changes: project config, target, macro files, the build of Strata that wrote it. Vars and env vars
 * (and `target.threads`, recorded as a var) are checked per entry: a render is reused unless one it read has
 * another value now.
 */
export class ParseCache {
  private readonly next: Record<string, ParseRenderResult> = {};
  private readonly nextSchemas: Record<string, string> = {};
  private dirty = false;

  private constructor(
    private readonly dir: string,
    private readonly key: string,
    private readonly entries: Record<string, ParseRenderResult>,
    private readonly schemas: Record<string, string>,
    private readonly vars: Record<string, unknown>,
  ) {}

  static open(dir: string, project: LoadedProject, engine: TemplateEngine, buildId = ''): ParseCache {
    const h = createHash('sha256');
    h.update(JSON.stringify({ c: { ...project.config, rootDir: '', vars: undefined }, t: { ...project.target, settings: undefined, threads: undefined }, f: FORMAT, b: buildId }));
    for (const f of project.files) if (f.kind === 'macro' || f.kind === 'doc') h.update(f.path).update(f.checksum);
    h.update(String(engine.macros.length));
    const key = h.digest('hex');
    let entries: Record<string, ParseRenderResult> = {};
    let schemas: Record<string, string> = {};
    const path = join(dir, FILE);
    if (existsSync(path)) {
      try {
        const data = JSON.parse(readFileSync(path, 'utf8')) as CacheData;
        if (data.format === FORMAT && data.key === key) {
          entries = data.entries;
          schemas = data.schemas ?? {};
        }
      } catch {
        entries = {};
      }
    }
    return new ParseCache(dir, key, entries, schemas, parseCacheVars(project.config.vars, project.target.threads));
  }

  getSchema(file: ProjectFile): SchemaFileProps | undefined {
    const k = `${file.path}:${file.checksum}`;
    const hit = this.schemas[k];
    if (!hit) return undefined;
    this.nextSchemas[k] = hit;
    return JSON.parse(hit) as SchemaFileProps;
  }

  setSchema(file: ProjectFile, props: SchemaFileProps): void {
    this.nextSchemas[`${file.path}:${file.checksum}`] = JSON.stringify(props);
    this.dirty = true;
  }

  /** The cached render of this file version, unless a var or env var it read, or the config it was given, has changed since. */
  get(file: ProjectFile, env: NodeJS.ProcessEnv = process.env, configDigest?: () => string): ParseRenderResult | undefined {
    const hit = this.entries[`${file.path}:${file.checksum}`];
    if (!hit) return undefined;
    // A full render may have read its node's config, which comes from project folders and YAML, not the file.
    if (hit.configDigest !== undefined && configDigest && hit.configDigest !== configDigest()) return undefined;
    if (hit.envVars) for (const name in hit.envVars) if (envDigest(env[name]) !== hit.envVars[name]) return undefined;
    if (hit.varsRead) for (const name in hit.varsRead) if (varDigest(this.vars[name]) !== hit.varsRead[name]) return undefined;
    this.next[`${file.path}:${file.checksum}`] = hit;
    return hit;
  }

  /** Stores a render; never one that read a secret env var (its config may hold the value: such a parse is refused anyway). */
  set(file: ProjectFile, result: ParseRenderResult): void {
    if (Object.keys(result.envVars ?? {}).some((name) => SECRET_ENV_NAME.test(name))) return;
    const k = `${file.path}:${file.checksum}`;
    if (this.entries[k] === result) return;
    this.next[k] = result;
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty && Object.keys(this.next).length === Object.keys(this.entries).length && Object.keys(this.nextSchemas).length === Object.keys(this.schemas).length) return;
    try {
      replaceFile(join(this.dir, FILE), JSON.stringify({ format: FORMAT, key: this.key, entries: this.next, schemas: this.nextSchemas } satisfies CacheData));
    } catch {
      // A target folder that cannot be written only costs the next parse its speed.
    }
  }
}
