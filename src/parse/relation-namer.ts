import type { LoadedProject } from '../project/types.js';
import type { TemplateEngine } from '../templating/types.js';

/** The name of a file-backed node: its file name without the extension (`models/a/orders.sql` → `orders`). */
export function nodeNameOf(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file.slice(0, file.lastIndexOf('.'));
}

/** dbt's fqn of a file-backed node: project, the folders under its resource path, its name. */
export function fqnOf(packageName: string, pathInResource: string, name: string): string[] {
  const parts = pathInResource.split('/');
  parts.pop();
  return [packageName, ...parts, name];
}

/** Database, schema and alias for a node: dbt's generate_database_name / generate_schema_name / generate_alias_name, overridable by the project. */
export class RelationNamer {
  private readonly memo = new Map<string, string>();
  /** Per macro name: whether the project overrides it, and whether its body reads `node`. Asked twice per node. */
  private readonly overrides = new Map<string, { overridden: boolean; nodeSensitive: boolean }>();
  constructor(
    private readonly project: LoadedProject,
    private readonly engine: TemplateEngine,
  ) {}
  private override(name: string): { overridden: boolean; nodeSensitive: boolean } {
    let o = this.overrides.get(name);
    if (!o) {
      const own = this.engine.macros.filter((m) => m.name === name && m.packageName === this.project.config.name);
      o = { overridden: own.length > 0, nodeSensitive: own.some((m) => /\bnode\b/.test(m.sql.replace(/^[^)]*\)/, ''))) };
      this.overrides.set(name, o);
    }
    return o;
  }
  private overridden(name: string): boolean {
    return this.override(name).overridden;
  }
  private nodeSensitive(name: string): boolean {
    return this.override(name).nodeSensitive;
  }
  schema(custom: string | null | undefined, nodeInfo: Record<string, unknown>): string {
    const target = this.project.target.schema;
    if (!this.overridden('generate_schema_name')) return custom ? `${target}_${String(custom).trim()}` : target;
    const key = `schema:${custom ?? ''}`;
    if (!this.nodeSensitive('generate_schema_name') && this.memo.has(key)) return this.memo.get(key)!;
    const v = String(this.engine.callMacro('generate_schema_name', [custom ?? null, nodeInfo]) ?? target).trim();
    this.memo.set(key, v);
    return v;
  }
  alias(custom: string | null | undefined, nodeInfo: Record<string, unknown>): string {
    // dbt's default: a model version's relation is `<name>_v<version>` (dots as underscores).
    if (!this.overridden('generate_alias_name')) return custom ? String(custom).trim() : nodeInfo.version !== undefined && nodeInfo.version !== null ? `${String(nodeInfo.name)}_v${String(nodeInfo.version).replace(/\./g, '_')}` : String(nodeInfo.name);
    return String(this.engine.callMacro('generate_alias_name', [custom ?? null, nodeInfo]) ?? nodeInfo.name).trim();
  }
  /** dbt's generate_database_name: the custom database, else the target's; a project's override decides instead. */
  database(custom: string | null | undefined, nodeInfo: Record<string, unknown> = {}): string | undefined {
    const target = this.project.target.database;
    if (!this.overridden('generate_database_name')) return custom ? String(custom) : target;
    const key = `database:${custom ?? ''}`;
    if (!this.nodeSensitive('generate_database_name') && this.memo.has(key)) return this.memo.get(key)!;
    const v = String(this.engine.callMacro('generate_database_name', [custom ?? null, nodeInfo]) ?? '').trim() || target;
    if (v !== undefined) this.memo.set(key, v);
    return v;
  }
}
