/**
 * A failed unit test's diff in the shape dbt prints it: dbt sorts both sides' rows and renders daff's
 * "highlighter" diff as text (TerminalDiffRender, colours stripped). Written here in its own terms, no daff:
 *
 *     @@ ,id,status_up
 *     →  ,2 ,X→B
 *
 * The first column is the row's action: `@@` the header, blank an unchanged row shown for context, `→` a
 * changed row (each changed cell `expected→actual`), `---` an expected row missing, `+++` an actual row not
 * expected, `...` rows left out. Columns that changed nowhere and are not next to one that did are one `...`
 * column. Rows are paired as daff pairs them in the common case: equal rows first, then rows with the same
 * value in the first column whose values are unique on both sides.
 */

type Cell = string | null;
type Unit = { l?: number; r?: number };

/**
 * A failed unit test's message, as dbt's TestRunner.execute_unit_test: `actual differs from expected:` and the
 * diff, on the console; run_results.json's `message` is dbt's whole string, blank lines around it.
 */
export function unitTestFailure(diff: string): { message: string; resultMessage: string } {
  return { message: `actual differs from expected:\n\n${diff}`, resultMessage: `\n\nactual differs from expected:\n\n${diff}\n\n` };
}

/** Python's str() of a cell, as daff's Python view shows it (`True`, `1.5`, `2026-01-02 10:00:00`); null stays null. */
export function cellText(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace(/(\.000)?Z$/, '');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** dbt's list_rows_from_table(sort=True): rows in order, column by column, nulls last; numbers as numbers. */
function sortRows(rows: Cell[][]): Cell[][] {
  const cmp = (a: Cell, b: Cell): number => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    const na = Number(a), nb = Number(b);
    if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  return [...rows].sort((x, y) => {
    for (let i = 0; i < x.length; i++) {
      const c = cmp(x[i]!, y[i]!);
      if (c) return c;
    }
    return 0;
  });
}

const same = (a: Cell[], b: Cell[]): boolean => a.every((v, i) => v === b[i]);

/** The first column whose values are present and unique on each side: the key daff would align the rest on. */
function keyColumn(e: Cell[][], a: Cell[][], width: number): number | undefined {
  const unique = (rows: Cell[][], c: number): boolean => rows.every((r) => r[c] !== null) && new Set(rows.map((r) => r[c])).size === rows.length;
  for (let c = 0; c < width; c++) if (unique(e, c) && unique(a, c)) return c;
  return undefined;
}

/** Pairs expected rows (l) with actual rows (r), in the order of the expected rows, each unpaired actual row after the row before it. */
function align(e: Cell[][], a: Cell[][], key: number | undefined): Unit[] {
  const byL = new Map<number, number>();
  const usedR = new Set<number>();
  e.forEach((row, l) => {
    const r = a.findIndex((x, i) => !usedR.has(i) && same(row, x));
    if (r >= 0) (byL.set(l, r), usedR.add(r));
  });
  if (key !== undefined) {
    e.forEach((row, l) => {
      if (byL.has(l)) return;
      const r = a.findIndex((x, i) => !usedR.has(i) && x[key] === row[key]);
      if (r >= 0) (byL.set(l, r), usedR.add(r));
    });
  }
  const units: Unit[] = e.map((_, l) => (byL.has(l) ? { l, r: byL.get(l)! } : { l }));
  a.forEach((_, r) => {
    if (usedR.has(r)) return;
    // After the unit holding the actual row before it, and after the missing rows that follow that unit.
    let at = units.findIndex((u) => u.r === r - 1) + 1;
    if (at === 0 && r > 0) at = units.length;
    while (at < units.length && units[at]!.r === undefined) at++;
    units.splice(at, 0, { r });
  });
  return units;
}

/** daff's spreadContext: unchanged neighbours within `del` of a change are shown (2), the next one is a gap (3). */
function spreadContext(active: number[], del: number): void {
  // Only a row not yet shown (0) or a gap (3) is changed; a row shown by the forward pass stays shown.
  const mark = (i: number, distance: number): void => {
    if (active[i] !== 0 && active[i] !== 3) return;
    if (distance <= del) active[i] = 2;
    else if (distance === del + 1) active[i] = 3;
  };
  let last = -del - 1;
  for (let i = 0; i < active.length; i++) {
    if (active[i] === 1) last = i;
    else mark(i, i - last);
  }
  last = active.length + del + 1;
  for (let i = active.length - 1; i >= 0; i--) {
    if (active[i] === 1) last = i;
    else mark(i, last - i);
  }
}

/** The diff of expected and actual rows on `columns`, as dbt's message shows it; empty when they are equal. */
export function unitTestDiff(columns: string[], expected: Record<string, unknown>[], actual: Record<string, unknown>[]): string {
  const e = sortRows(expected.map((row) => columns.map((c) => cellText(row[c]))));
  const a = sortRows(actual.map((row) => columns.map((c) => cellText(row[c]))));
  const key = keyColumn(e, a, columns.length);
  const sep = separator([...e, ...a]);
  // daff shows a key column, every column changed somewhere, and all of them once a row is added.
  const activeColumn = columns.map((_, c) => (c === key ? 1 : 0));
  const rows = align(e, a, key).map((u) => diffRow(u, e, a, sep, activeColumn));
  if (rows.every((row) => row[0] === '')) return '';
  const activeRow: number[] = rows.map((row) => (row[0] === '' ? 0 : 1));
  spreadContext(activeRow, 1);
  const shown: Cell[][] = [['@@', ...columns]];
  let showedGap = false;
  rows.forEach((row, i) => {
    if (activeRow[i]! <= 0) return;
    if (activeRow[i] === 3) {
      if (!showedGap) shown.push(row.map(() => '...'));
      showedGap = true;
      return;
    }
    showedGap = false;
    shown.push(row);
  });
  return render(elideColumns(shown, activeColumn), sep);
}

/** One row of the diff: its action, then its cells; marks the columns it makes shown. */
function diffRow(u: Unit, e: Cell[][], a: Cell[][], sep: string, activeColumn: number[]): Cell[] {
  if (u.r === undefined) return ['---', ...e[u.l!]!];
  if (u.l === undefined) {
    activeColumn.fill(1);
    return ['+++', ...a[u.r]!];
  }
  const l = e[u.l]!;
  const r = a[u.r]!;
  if (same(l, r)) return ['', ...l];
  return ['->', ...l.map((v, c) => {
    if (v === r[c]) return v;
    activeColumn[c] = 1;
    return `${quoteForDiff(v)}${sep}${quoteForDiff(r[c]!)}`;
  })];
}

/** daff's getSeparator: `->`, lengthened with `-` while any cell holds it. */
function separator(rows: Cell[][]): string {
  let sep = '->';
  while (rows.some((row) => row.some((v) => v !== null && v.includes(sep)))) sep = `-${sep}`;
  return sep;
}

/** daff's quoteForDiff: null as NULL, a text NULL as _NULL. */
function quoteForDiff(v: Cell): string {
  if (v === null) return 'NULL';
  return /^_*NULL$/.test(v) ? `_${v}` : v;
}

/** Runs of columns that changed nowhere (and are not next to one that did) become one `...` column. */
function elideColumns(rows: Cell[][], active: number[]): Cell[][] {
  if (active.every((v) => v > 0)) return rows;
  spreadContext(active, 1);
  const keep: (number | 'gap')[] = [];
  active.forEach((v, c) => {
    if (v === 1 || v === 2) keep.push(c);
    else if (keep[keep.length - 1] !== 'gap') keep.push('gap');
  });
  return rows.map((row) => [row[0]!, ...keep.map((k) => (k === 'gap' ? '...' : row[k + 1]!))]);
}

/** TerminalDiffRender without colours: cells joined by `,`, padded before the comma to daff's column sizes. */
function render(rows: Cell[][], sep: string): string {
  const texts = rows.map((row) => row.map((v, c) => csvCell(c === 0 || row[0] === '->' ? pretty(v, sep) : v)));
  const sizes = pickSizes(texts);
  return texts
    .map((row) => {
      let line = '';
      // As daff: padding counts the cells' text and spaces, not the commas.
      let at = 0;
      let target = 0;
      row.forEach((t, x) => {
        if (sizes && target > at) (line += ' '.repeat(target - at), (at = target));
        line += (x > 0 ? ',' : '') + t;
        at += t.length;
        if (sizes) target += sizes[x]!;
      });
      return line;
    })
    .join('\n');
}

/** A changed cell with daff's glyph: `X->B` as `X→B`, the action `->` as `→`. */
function pretty(v: Cell, sep: string): Cell {
  if (v === null || !v.includes(sep)) return v;
  return v === sep ? '→' : v.split(sep).join('→');
}

/** daff's Csv.renderCell: NULL for null; quoted when the text has a comma, quote, tab, line break or edge space. */
function csvCell(v: Cell): string {
  if (v === null) return 'NULL';
  return /[",\r\n\t]|^ | $/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** daff's pickSizes: each column's width leaves out outliers (mean + 2 sd); none when the total passes 130. */
function pickSizes(rows: string[][]): number[] | undefined {
  const w = rows[0]!.length;
  const h = rows.length;
  const sizes: number[] = [];
  let total = w - 1;
  for (let x = 0; x < w; x++) {
    const lens = rows.map((r) => r[x]!.length);
    const mean = lens.reduce((s, n) => s + n, 0) / h;
    const sd = Math.sqrt(Math.max(0, lens.reduce((s, n) => s + n * n, 0) / h - mean * mean));
    const most = Math.floor(mean + sd * 2 + 0.5);
    const size = Math.max(lens.filter((n) => n <= most).reduce((m, n) => Math.max(m, n), 0), lens[0]!);
    sizes.push(size);
    total += size;
  }
  return total > 130 ? undefined : sizes;
}
