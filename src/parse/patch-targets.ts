/** Property-file entries checked against the nodes the files gave: a name no file has, or one filed under another kind. */
import type { Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode } from './types.js';
import type { Patch } from './schema-yaml.js';
import type { ParseRun } from './parse-run.js';

const KINDS = { models: 'model', seeds: 'seed', snapshots: 'snapshot' } as const;

/**
 * A patch naming no file warns (dbt's NoNodeForYamlKey). A patch under the wrong key (`models: - name: <a seed>`)
 * warns as dbt's WrongResourceSchemaFile and, as in dbt, its properties are not applied but its data tests are: dbt
 * parses them as tests on `ref('<name>')`, which is the seed, so they are kept, attached to that node.
 */
export function checkPatchTargets(run: ParseRun): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map<string, ManifestNode>();
  for (const n of Object.values(run.manifest.nodes)) if (n.resourceType in PLURAL && !byName.has(n.name)) byName.set(n.name, n);
  for (const key of Object.keys(KINDS) as (keyof typeof KINDS)[]) {
    for (const patch of run.props[key].values()) {
      if (!run.nodeNames.has(patch.name)) {
        out.push({ code: 'patch-target-not-found', severity: 'warn', message: `'${patch.name}' is described in ${patch.file} but no such file exists`, file: patch.file, line: patch.line, hint: 'check the name matches a .sql or .csv file name' });
        continue;
      }
      const node = byName.get(patch.name);
      if (!node || node.resourceType === KINDS[key]) continue;
      const plural = PLURAL[node.resourceType]!;
      out.push({
        code: 'patch-wrong-resource',
        severity: 'warn',
        message: `'${patch.name}' is a ${node.resourceType} node, but it is specified in the ${key} section of ${patch.file}: its description, columns and config are not applied (its data tests are)`,
        file: patch.file,
        line: patch.line,
        hint: `place the \`${patch.name}\` specification under the ${plural} key instead`,
      });
      addTests(node, patch);
    }
  }
  return out;
}

const PLURAL: Record<string, string> = { model: 'models', seed: 'seeds', snapshot: 'snapshots' };

function addTests(node: ManifestNode, patch: Patch): void {
  const extra = (node.extra ??= {}) as { dataTests?: Patch['tests']; columnTests?: Patch['columnTests'] };
  extra.dataTests = [...(extra.dataTests ?? []), ...patch.tests];
  const columns = { ...(extra.columnTests ?? {}) };
  for (const [col, tests] of Object.entries(patch.columnTests)) columns[col] = [...(columns[col] ?? []), ...tests];
  extra.columnTests = columns;
}
