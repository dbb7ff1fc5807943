import type { Diagnostic } from '../diagnostics/index.js';

/** One `{% snapshot name %} … {% endsnapshot %}` block of a snapshot file. */
export interface SnapshotBlock {
  name: string;
  /** The body, with every line before it kept as an empty line: template errors keep the file's line numbers. */
  body: string;
  line: number;
}

const BLOCK = /\{%-?\s*snapshot\s+(\w+)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g;
const OPEN = /\{%-?\s*snapshot\b/g;

/** The snapshot blocks of a file in snapshot-paths, as dbt reads them; a block left open is an error. */
export function snapshotBlocks(path: string, contents: string): { blocks: SnapshotBlock[]; diagnostics: Diagnostic[] } {
  const blocks: SnapshotBlock[] = [];
  const diagnostics: Diagnostic[] = [];
  const lineAt = (i: number): number => contents.slice(0, i).split('\n').length;
  for (const m of contents.matchAll(BLOCK)) {
    const bodyStart = m.index + m[0].indexOf('%}') + 2;
    const before = contents.slice(0, bodyStart).replace(/[^\n]/g, '');
    blocks.push({ name: m[1]!, body: before + m[2]!, line: lineAt(m.index) });
  }
  const opened = [...contents.matchAll(OPEN)].length;
  if (opened > blocks.length) {
    const closedUpTo = blocks.length ? contents.lastIndexOf('endsnapshot') : -1;
    const open = [...contents.matchAll(OPEN)].find((o) => o.index > closedUpTo) ?? [...contents.matchAll(OPEN)][0]!;
    diagnostics.push({ code: 'jinja-syntax-error', severity: 'error', message: 'a {% snapshot %} block is not closed', file: path, line: lineAt(open.index), hint: 'end it with {% endsnapshot %}' });
  }
  if (!opened) diagnostics.push({ code: 'snapshot-file-empty', severity: 'warn', message: 'this file in snapshot-paths has no {% snapshot %} block, so it defines no snapshot', file: path, line: 1, hint: 'wrap the select in {% snapshot name %} … {% endsnapshot %}, or move the file to models/' });
  return { blocks, diagnostics };
}
