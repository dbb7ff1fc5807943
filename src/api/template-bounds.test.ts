/**
 * Bounds on template execution (issue 20): a runaway template stops with a located error, quickly, instead of
 * running for hours, exhausting memory or overflowing the native stack. Exit 2 at parse, nothing written.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { runStrata } from '../test-support/strata-cli.js';
import { limitsFrom, DEFAULT_LIMITS } from '../templating/jinja/index.js';
import { build } from './index.js';

const project = projectsRemovedAfterAll();
const databases = (d: string): string[] => readdirSync(d, { recursive: true }).map(String).filter((f) => f.endsWith('.duckdb'));

const RECURSIVE = '{% macro f(n) %}\n{{ n }}\n{{ f(n + 1) }}\n{% endmacro %}\n';

const cases: [string, Record<string, string>, number, RegExp][] = [
  ['a nested loop of 100,000 × 100,000', { 'models/a.sql': 'select 1 as x\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}' }, 2, /ran more than 10,000,000 loop iterations \(STRATA_TEMPLATE_MAX_ITERATIONS\)/],
  ['a macro calling itself without end', { 'macros/m.sql': RECURSIVE, 'models/a.sql': 'select 1 as x\n-- {{ f(1) }}' }, 2, /macro 'f' was called more than 250 levels deep \(STRATA_TEMPLATE_MAX_DEPTH\).*raised in macros\/m\.sql:3/],
  ["a string 'x' * 10**10", { 'models/a.sql': "select 1 as x\n-- {{ 'x' * 10**10 }}" }, 2, /string would have 10,000,000,000 characters, more than 200,000,000 \(STRATA_TEMPLATE_MAX_OUTPUT\)/],
  ['a list [0] * 10**9', { 'models/a.sql': 'select 1 as x\n-- {{ ([0] * 10**9) | length }}' }, 2, /list would have 1,000,000,000 items/],
  ['a string doubled 40 times', { 'models/a.sql': "select 1 as x\n{% set ns = namespace(s='x') %}\n{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}" }, 3, /string would have 268,435,456 characters/],
];

describe('template execution bounds', () => {
  it.each(cases)('%s: exit 2 with the file and line, within seconds, nothing written', async (_name, files, line, message) => {
    const d = project(files);
    const started = Date.now();
    const r = await build({ projectDir: d, profilesDir: d });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.exitCode, JSON.stringify(r.diagnostics)).toBe(2);
    const e = r.diagnostics.find((x) => x.severity === 'error')!;
    expect(e).toMatchObject({ file: 'models/a.sql', line });
    expect(e.message).toMatch(message);
    expect(JSON.stringify(r.diagnostics)).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);
    expect(databases(d)).toEqual([]);
  });

  it('a runaway macro at run time (inside {% if execute %}) fails its node with the same located error', async () => {
    const d = project({ 'macros/m.sql': RECURSIVE, 'models/a.sql': 'select 1 as x\n{% if execute %}-- {{ f(1) }}{% endif %}' });
    const r = await build({ projectDir: d, profilesDir: d });
    expect(r.exitCode).toBe(1);
    expect(r.results[0]).toMatchObject({ uniqueId: 'model.p.a', status: 'error' });
    expect(r.results[0]!.message).toMatch(/models\/a\.sql:2: .*macro 'f' was called more than 250 levels deep.*macros\/m\.sql:3/);
  });

  it('the limits are set by env vars; the CLI prints the located error, no stack trace', async () => {
    expect(limitsFrom({ STRATA_TEMPLATE_MAX_OUTPUT: '1_000', STRATA_TEMPLATE_MAX_ITERATIONS: 'lots', STRATA_TEMPLATE_MAX_DEPTH: '-3' })).toEqual({ ...DEFAULT_LIMITS, output: 1000 });
    const d = project({ 'models/a.sql': "select 1 as x\n{% for i in range(30) %}\n-- {{ 'y' * 100 }}\n{% endfor %}" });
    const { code, out } = await runStrata(['build', '--project-dir', d, '--profiles-dir', d], { env: { STRATA_TEMPLATE_MAX_OUTPUT: '2000', NO_COLOR: '1' } });
    expect(code, out).toBe(2);
    expect(out).toMatch(/models\/a\.sql:2: error \[jinja-render-error\] this render built 2,\d{3} characters of text, more than 2,000 \(STRATA_TEMPLATE_MAX_OUTPUT\)/);
    expect(out).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(databases(d)).toEqual([]);
  });
});
