import type { Constraint } from './types.js';

const TYPES: Constraint['type'][] = ['not_null', 'unique', 'primary_key', 'check', 'foreign_key', 'custom'];
type Report = (key: (string | number)[], message: string, hint: string) => void;

/**
 * A `constraints:` list as dbt reads it, on a column (`onModel` false) or on a model (each entry names its
 * `columns`). A mistake is reported at its entry and the entry left out.
 */
export function readConstraints(list: unknown, path: (string | number)[], what: string, onModel: boolean, report: Report): Constraint[] | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) {
    report(path, `constraints of ${what} must be a list`, 'write constraints:\n  - type: not_null');
    return undefined;
  }
  const out: Constraint[] = [];
  list.forEach((raw, i) => {
    const at = [...path, i];
    const c = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
    const type = c?.type;
    if (!c || typeof type !== 'string' || !TYPES.includes(type as Constraint['type'])) {
      report(at, `constraint ${i + 1} of ${what} has ${c && type !== undefined ? `type '${String(type)}'` : 'no type'}`, `set type: to one of ${TYPES.join(', ')}`);
      return;
    }
    const expression = c.expression === undefined || c.expression === null ? undefined : String(c.expression);
    if ((type === 'check' || type === 'custom') && !expression) {
      report(at, `the ${type} constraint of ${what} needs an expression`, type === 'check' ? "add expression: \"amount > 0\"" : 'add expression: with the clause to add');
      return;
    }
    const columns = c.columns === undefined ? undefined : Array.isArray(c.columns) ? c.columns.map(String) : [String(c.columns)];
    if (onModel && type !== 'check' && type !== 'custom' && !columns?.length) {
      report(at, `the model-level ${type} constraint of ${what} names no columns`, 'add columns: [col_a, col_b], or move the constraint under its column');
      return;
    }
    if (type === 'foreign_key' && !expression && c.to === undefined) {
      report(at, `the foreign_key constraint of ${what} says nothing about what it references`, "add to: ref('other_model') with to_columns: [id], or expression: \"other_table (id)\"");
      return;
    }
    out.push({
      type: type as Constraint['type'],
      ...(c.name !== undefined && c.name !== null ? { name: String(c.name) } : {}),
      ...(expression !== undefined ? { expression } : {}),
      ...(onModel && columns ? { columns } : {}),
      ...(c.to !== undefined && c.to !== null ? { to: String(c.to) } : {}),
      ...(Array.isArray(c.to_columns) ? { toColumns: c.to_columns.map(String) } : {}),
      warnUnenforced: c.warn_unenforced !== false,
      warnUnsupported: c.warn_unsupported !== false,
    });
  });
  return out;
}
