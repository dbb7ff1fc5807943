/**
 * `selectors.yml` checked against the shape of dbt's selector schema (our own reading of it), at load, each
 * violation at its key's line: the file holds `selectors:`; a selector has `name`, `description`, `default`,
 * `definition` only; a definition is CLI-style text, `method: value` (one pair), a full method
 * (`method`, `value`, `parents`, `children`, depths, `childrens_parents`, `indirect_selection`, `exclude`)
 * or `union:`/`intersection:` lists. select/ evaluates definitions; this only finds what can never evaluate.
 */
import { didYouMean, type Diagnostic } from '../diagnostics/index.js';
import type { YamlFile } from './yaml-file.js';

const SELECTOR_KEYS = ['name', 'description', 'default', 'definition'];
const FULL_KEYS = ['method', 'value', 'parents', 'children', 'parents_depth', 'children_depth', 'childrens_parents', 'indirect_selection', 'exclude'];
/** dbt's selector methods (`config.<key>` aside). */
const METHODS = ['tag', 'path', 'file', 'fqn', 'resource_type', 'source', 'test_type', 'test_name', 'package', 'exposure', 'state', 'version', 'selector', 'column', 'metric', 'semantic_model', 'saved_query', 'result', 'source_status', 'group', 'access', 'unit_test', 'wildcard'];
const INDIRECT = ['eager', 'cautious', 'buildable', 'empty'];
const EXAMPLE = "definition:\n  union:\n    - method: tag\n      value: nightly\n      children: true\n    - 'path:models/marts'";

type Report = (path: (string | number)[], message: string, hint: string) => void;

/** The violations of a parsed selectors.yml. */
export function selectorsSchemaDiagnostics(yaml: YamlFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report: Report = (path, message, hint) => {
    out.push({ code: 'selectors-invalid', severity: 'error', message, file: 'selectors.yml', line: yaml.lineOf(path) ?? yaml.lineOf(path.slice(0, -1)) ?? 1, hint });
  };
  const doc = yaml.value;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return out;
  for (const key of Object.keys(doc)) if (key !== 'selectors') report([key], `unknown key '${key}' in selectors.yml`, 'the file holds selectors: only');
  const list = (doc as { selectors?: unknown }).selectors;
  (Array.isArray(list) ? list : []).forEach((raw, i) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
    const s = raw as Record<string, unknown>;
    const at = ['selectors', i];
    for (const key of Object.keys(s)) if (!SELECTOR_KEYS.includes(key)) report([...at, key], `'${key}' is not a key of a selector (it takes ${SELECTOR_KEYS.join(', ')})`, didYouMean(key, SELECTOR_KEYS) ?? `remove ${key}:`);
    if (s.description !== undefined && s.description !== null && typeof s.description !== 'string') report([...at, 'description'], 'description: must be text', 'description: "models built every night"');
    if (s.default !== undefined && typeof s.default !== 'boolean' && !(typeof s.default === 'string' && s.default.includes('{{'))) report([...at, 'default'], `default: must be true or false, not ${JSON.stringify(s.default)}`, 'default: true');
    if (s.definition !== undefined && s.definition !== null) definition(s.definition, [...at, 'definition'], report);
  });
  return out;
}

function definition(def: unknown, path: (string | number)[], report: Report): void {
  if (typeof def === 'string') return;
  if (Array.isArray(def)) return def.forEach((item, i) => setItem(item, [...path, i], report));
  if (!def || typeof def !== 'object') return report(path, `a definition is text, method: value, or union:/intersection:, not ${JSON.stringify(def)}`, EXAMPLE);
  const d = def as Record<string, unknown>;
  const keys = Object.keys(d);
  for (const op of ['union', 'intersection']) {
    if (!(op in d)) continue;
    for (const k of keys) if (k !== op && k !== 'exclude') report([...path, k], `'${k}' cannot stand beside ${op}: (only exclude: can)`, 'move it into an item of the list');
    if (!Array.isArray(d[op])) return report([...path, op], `${op}: takes a list`, EXAMPLE);
    (d[op] as unknown[]).forEach((item, i) => setItem(item, [...path, op, i], report));
    return exclude(d, path, report);
  }
  if ('method' in d) return fullMethod(d, path, report);
  if (keys.length !== 1) return report(path, `write one method: value pair, or method: and value: keys, or union:/intersection: (found ${keys.join(', ') || 'nothing'})`, EXAMPLE);
  method(keys[0]!, [...path, keys[0]!], report);
  if (d[keys[0]!] !== null && typeof d[keys[0]!] === 'object') report([...path, keys[0]!], `the value of ${keys[0]}: must be text`, `${keys[0]}: nightly`);
}

/** An item of union/intersection: a definition, or `exclude:` alone. */
function setItem(item: unknown, path: (string | number)[], report: Report): void {
  if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1 && 'exclude' in item) return exclude(item as Record<string, unknown>, path, report);
  definition(item, path, report);
}

function exclude(d: Record<string, unknown>, path: (string | number)[], report: Report): void {
  if (d.exclude === undefined) return;
  const items = Array.isArray(d.exclude) ? d.exclude : [d.exclude];
  items.forEach((item, i) => definition(item, Array.isArray(d.exclude) ? [...path, 'exclude', i] : [...path, 'exclude'], report));
}

function method(name: string, path: (string | number)[], report: Report): void {
  if (METHODS.includes(name) || /^config\.\w[\w.]*$/.test(name)) return;
  report(path, `'${name}' is not a selector method`, didYouMean(name, METHODS) ?? `use one of ${METHODS.slice(0, 12).join(', ')}, … or config.<key>`);
}

function fullMethod(d: Record<string, unknown>, path: (string | number)[], report: Report): void {
  for (const k of Object.keys(d)) if (!FULL_KEYS.includes(k)) report([...path, k], `'${k}' is not a key of a method definition (it takes ${FULL_KEYS.join(', ')})`, didYouMean(k, FULL_KEYS) ?? `remove ${k}:`);
  if (typeof d.method !== 'string') report([...path, 'method'], `method: must be text, not ${JSON.stringify(d.method)}`, 'method: tag');
  else method(d.method, [...path, 'method'], report);
  if (d.value === undefined || d.value === null || typeof d.value === 'object') report(d.value === undefined ? path : [...path, 'value'], 'value: must be text', 'value: nightly');
  for (const k of ['parents', 'children', 'childrens_parents']) if (d[k] !== undefined && typeof d[k] !== 'boolean') report([...path, k], `${k}: must be true or false, not ${JSON.stringify(d[k])}`, `${k}: true`);
  for (const k of ['parents_depth', 'children_depth']) if (d[k] !== undefined && !(typeof d[k] === 'number' && Number.isInteger(d[k]) && (d[k] as number) >= 0)) report([...path, k], `${k}: must be a whole number, not ${JSON.stringify(d[k])}`, `${k}: 1`);
  if (d.indirect_selection !== undefined && !INDIRECT.includes(d.indirect_selection as string)) report([...path, 'indirect_selection'], `indirect_selection: must be ${INDIRECT.join(', ')}, not ${JSON.stringify(d.indirect_selection)}`, 'indirect_selection: cautious');
  exclude(d, path, report);
}
