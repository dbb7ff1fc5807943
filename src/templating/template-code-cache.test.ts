import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTemplateEngine, TemplateCodeCache } from './index.js';
import type { RenderNode, RunRenderContext } from './types.js';
import { quotedRunContext } from '../test-support/bare-render.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const target = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'strata-code-cache-'));
  dirs.push(d);
  return d;
};

const node: RenderNode = { uniqueId: 'model.p.m', name: 'm', resourceType: 'model', packageName: 'p', file: 'models/m.sql', fqn: ['p', 'm'], config: { materialized: 'incremental' } };
const context = (incremental: boolean): RunRenderContext => quotedRunContext({ isIncremental: incremental });
const CENTS = '{% macro cents(c) %}({{ c }} / 100.0){% endmacro %}';
const MODEL = "select id, {{ cents('amount') }} as amount\nfrom {% for p in ['a', 'b'] %}{{ ref(p) }}{% if not loop.last %}, {% endif %}{% endfor %}\n{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}";

/** One command: an engine with the target folder's cache, run renders, then the cache saved as a command does. */
async function command(dir: string, texts: string[], o: { build?: string; incremental?: boolean; secret?: string; macro?: string; diagnostics?: string[] } = {}): Promise<string[]> {
  const clean = (t: string): boolean => !o.secret || !t.includes(o.secret);
  const cache = TemplateCodeCache.open(dir, o.build ?? 'b1', clean);
  const macroCache = TemplateCodeCache.open(dir, o.build ?? 'b1', clean, 'macro_code');
  const engine = createTemplateEngine({
    projectName: 'p', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: {}, env: {}, docs: {},
    macroFiles: [{ path: 'macros/m.sql', packageName: 'p', contents: o.macro ?? CENTS }],
    codeCache: cache,
    macroCodeCache: macroCache,
  });
  o.diagnostics?.push(...engine.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`));
  const out: string[] = [];
  for (const t of texts) out.push(await engine.runRender(node, t, context(o.incremental ?? false)));
  cache.save();
  macroCache.save();
  return out;
}

const cacheFile = (dir: string): string => join(dir, 'template_code.strata.json');
const macroCacheFile = (dir: string): string => join(dir, 'macro_code.strata.json');

/** Alters the stored code (not the text it was compiled from). */
function alterStoredCode(dir: string): void {
  const stored = JSON.parse(readFileSync(cacheFile(dir), 'utf8')) as { entries: string[][] };
  for (const e of stored.entries) e[2] = e[2]!.replaceAll(' as amount', ' as amount_from_cache');
  writeFileSync(cacheFile(dir), JSON.stringify(stored));
}

describe('the template code cache across commands', () => {
  it('renders what a compile from the text renders, first run and incremental run alike', async () => {
    const dir = target();
    const [first] = await command(dir, [MODEL]);
    expect(first).toBe('select id, (amount / 100.0) as amount\nfrom "main"."a", "main"."b"\n');
    expect(existsSync(cacheFile(dir))).toBe(true);
    expect(await command(dir, [MODEL])).toEqual([first]);
    expect(await command(dir, [MODEL], { incremental: true })).toEqual(['select id, (amount / 100.0) as amount\nfrom "main"."a", "main"."b"\nwhere id > (select max(id) from "main"."m")']);
  });

  it('is what the next command runs (its code is not generated again), and is left alone when nothing is new', async () => {
    const dir = target();
    await command(dir, [MODEL]);
    // The stored code, altered: a command that used it renders the alteration.
    alterStoredCode(dir);
    const before = readFileSync(cacheFile(dir), 'utf8');
    const [out] = await command(dir, [MODEL]);
    expect(out).toContain('amount_from_cache');
    expect(readFileSync(cacheFile(dir), 'utf8')).toBe(before);
  });

  it('compiles an edited template from its text, and keeps both', async () => {
    const dir = target();
    await command(dir, [MODEL]);
    const edited = MODEL.replace('as amount', 'as dollars');
    expect((await command(dir, [edited]))[0]).toContain('as dollars');
    const entries = (JSON.parse(readFileSync(cacheFile(dir), 'utf8')) as { entries: string[][] }).entries;
    expect(entries.map((e) => e[1])).toEqual([MODEL, edited]);
  });

  it("keeps the macro files' code in a store of their own: the next command does not parse them again, an edited one is compiled from its text", async () => {
    const dir = target();
    const [first] = await command(dir, [MODEL]);
    expect(readFileSync(cacheFile(dir), 'utf8')).not.toContain('macros/m.sql');
    const stored = JSON.parse(readFileSync(macroCacheFile(dir), 'utf8')) as { entries: string[][] };
    const macro = stored.entries.find((e) => e[0] === 'macros/m.sql')!;
    expect(macro[1]).toBe(CENTS);
    // The macro's stored code altered: the next command's macro is made from it, not from the file's text.
    macro[2] = macro[2]!.replaceAll('/ 100.0', '/ 1000.0');
    writeFileSync(macroCacheFile(dir), JSON.stringify(stored));
    expect((await command(dir, [MODEL]))[0]).toContain('(amount / 1000.0) as amount');
    // An edit of the macro file is a text the store does not hold: compiled from it, and both kept.
    const edited = CENTS.replace('100.0', '100');
    expect((await command(dir, [MODEL], { macro: edited }))[0]).toContain('(amount / 100) as amount');
    expect(await command(dir, [MODEL], { macro: CENTS, build: 'b2' })).toEqual([first]);
  });

  it("keeps a macro file's code for parse renders too: a full parse after a var change does not parse it again", () => {
    const dir = target();
    const macro = "{% macro materialize() %}{{ config(materialized='table') }}{% endmacro %}";
    const parse = (): unknown => {
      const cache = TemplateCodeCache.open(dir, 'b1', () => true, 'macro_code');
      const engine = createTemplateEngine({ projectName: 'p', adapterType: 'duckdb', target: { name: 'dev', schema: 'main', type: 'duckdb' }, vars: {}, env: {}, docs: {}, macroFiles: [{ path: 'macros/m.sql', packageName: 'p', contents: macro }], macroCodeCache: cache });
      const materialized = engine.parseRender({ ...node, config: {} }, "{{ materialize() }}{% if var('ds', '') %}{% endif %}select 1").config.materialized;
      cache.save();
      return materialized;
    };
    expect(parse()).toBe('table');
    const stored = JSON.parse(readFileSync(macroCacheFile(dir), 'utf8')) as { entries: string[][] };
    const sync = stored.entries.filter((e) => e[0]!.startsWith('macros/m.sql') && e[0] !== 'macros/m.sql');
    expect(sync).toHaveLength(1);
    sync[0]![2] = sync[0]![2]!.replaceAll("'table'", "'view'").replaceAll('"table"', '"view"');
    writeFileSync(macroCacheFile(dir), JSON.stringify(stored));
    expect(parse()).toBe('view');
  });

  it('reports a syntax error in a macro file on every command: a file that does not compile is never stored', async () => {
    const dir = target();
    const broken = '{% macro cents(c) %}({{ c + }} / 100.0){% endmacro %}';
    for (let i = 0; i < 2; i++) {
      const diagnostics: string[] = [];
      await command(dir, ['select 1 as one'], { macro: broken, diagnostics });
      expect(diagnostics).toEqual(['macro-syntax-error macros/m.sql:1']);
    }
    expect(readFileSync(macroCacheFile(dir), 'utf8')).not.toContain('macros/m.sql');
  });

  it('is ignored after Strata was rebuilt', async () => {
    const dir = target();
    await command(dir, [MODEL]);
    alterStoredCode(dir);
    const [out] = await command(dir, [MODEL], { build: 'b2' });
    expect(out).not.toContain('amount_from_cache');
    expect((JSON.parse(readFileSync(cacheFile(dir), 'utf8')) as { build: string }).build).toBe('b2');
  });

  it('never stores a template holding a secret, and still reports a syntax error', async () => {
    const dir = target();
    await command(dir, ["{% set p = 'hunter2-pepper' %}select '{{ p }}' as p", '{% set x = 1 %}select {{ x }} as one'], { secret: 'hunter2-pepper' });
    const text = readFileSync(cacheFile(dir), 'utf8');
    expect(text).not.toContain('hunter2-pepper');
    expect(text).toContain('as one');
    await expect(command(dir, ['select {{ 1 + }}'])).rejects.toThrow(/models\/m\.sql/);
  });

  it("keeps V8's compiled code of the stored templates, checked against their text", async () => {
    const dir = target();
    const v8 = join(dir, 'template_code.strata.v8');
    const [first] = await command(dir, [MODEL]);
    // The code is stored first; its bytecode once a command has run it from the store.
    expect(existsSync(v8)).toBe(false);
    expect(await command(dir, [MODEL])).toEqual([first]);
    expect(existsSync(v8)).toBe(true);
    const blob = readFileSync(v8);
    expect(await command(dir, [MODEL])).toEqual([first]);
    expect(readFileSync(v8).equals(blob)).toBe(true);
    // Bytecode that is not V8's changes nothing (V8 refuses it; in one process it reuses what it compiled),
    // and bytecode made from another text is never used.
    writeFileSync(v8, Buffer.concat([blob.subarray(0, 40), Buffer.from('not bytecode')]));
    expect(await command(dir, [MODEL])).toEqual([first]);
    alterStoredCode(dir);
    const [altered] = await command(dir, [MODEL]);
    expect(altered).toContain('amount_from_cache');
    // An edit drops the bytecode with the code it was made from.
    await command(dir, [MODEL.replace('as amount', 'as dollars')]);
    expect(existsSync(v8)).toBe(false);
  });

  it('drops a damaged store: templates compile from their text, and the store is written again', async () => {
    const dir = target();
    const [first] = await command(dir, [MODEL]);
    const stored = JSON.parse(readFileSync(cacheFile(dir), 'utf8')) as { entries: string[][] };
    stored.entries[0]![2] = 'return async function render( {';
    writeFileSync(cacheFile(dir), JSON.stringify(stored));
    expect(await command(dir, [MODEL])).toEqual([first]);
    expect(readFileSync(cacheFile(dir), 'utf8')).not.toContain('render( {');
  });
});
