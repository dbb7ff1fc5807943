import type { Diagnostic } from '../diagnostics/index.js';
import type { Manifest } from '../parse/types.js';

const REFABLE = new Set(['model', 'seed', 'snapshot']);

/**
 * As dbt: a data test that refs a disabled model, seed or snapshot (a relationships test's `to:`, a singular
 * test's ref) is disabled with it, and warned about (dbt's NodeNotFoundOrDisabled), not an error as a model's
 * ref to it is. A name some enabled node also has is left to ref resolution. Moves such tests to `disabled`.
 */
export function disableTestsOfDisabledNodes(manifest: Manifest): Diagnostic[] {
  const disabled = new Set(Object.values(manifest.disabled).filter((d) => REFABLE.has(d.resourceType)).map((d) => d.name));
  if (!disabled.size) return [];
  const nodes = Object.values(manifest.nodes);
  for (const n of nodes) if (REFABLE.has(n.resourceType)) disabled.delete(n.name);
  const out: Diagnostic[] = [];
  for (const t of nodes) {
    if (t.resourceType !== 'test') continue;
    const ref = t.refs.find((r) => disabled.has(r.name));
    if (!ref) continue;
    t.config.enabled = false;
    delete manifest.nodes[t.uniqueId];
    manifest.disabled[t.uniqueId] = t;
    const at = ref.at ?? { file: t.originalFilePath, line: 1, column: 1 };
    out.push({ code: 'test-target-disabled', severity: 'warn', message: `test '${t.name}' depends on '${ref.name}', which is disabled: the test is disabled too`, ...at, hint: `enable '${ref.name}', or remove the test` });
  }
  return out;
}
