/**
 * The "Must not import" line of each src/<folder>/README.md, checked: the table below says those lines again (keep
 * the two together), and a value import (static or `import()`) that crosses a boundary the table forbids fails
 * here, with the file and the import. Type-only imports are allowed everywhere (the READMEs allow "types from
 * other stages"); tests and test-support are not checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** For each folder, the folders (or files, relative to src/) its code must not import values from. */
const FORBIDDEN: Record<string, string[]> = {
  adapters: ['api', 'cli', 'execute', 'parse', 'graph', 'select', 'compile', 'materializations', 'landing', 'data-tests', 'artifacts', 'docs', 'lineage', 'packages', 'airflow', 'templating'],
  airflow: ['cli', 'api', 'adapters/duckdb', 'adapters/bigquery'],
  api: ['cli', 'adapters/duckdb', 'adapters/bigquery'],
  artifacts: ['cli', 'execute', 'adapters/duckdb', 'adapters/bigquery'],
  compile: ['cli', 'execute', 'adapters/duckdb', 'adapters/bigquery'],
  'data-tests': ['api', 'cli', 'adapters/duckdb', 'adapters/bigquery'],
  docs: ['cli', 'adapters', 'execute'],
  execute: ['api', 'cli'],
  graph: ['select', 'compile', 'execute', 'adapters', 'cli', 'api'],
  landing: ['api', 'cli'],
  materializations: ['api', 'cli', 'parse'],
  packages: ['parse', 'graph', 'select', 'compile', 'execute', 'materializations', 'artifacts', 'adapters', 'cli', 'api'],
  parse: ['graph', 'select', 'compile', 'execute', 'materializations', 'artifacts', 'docs', 'adapters', 'cli', 'api'],
  project: ['parse', 'graph', 'select', 'compile', 'execute', 'materializations', 'artifacts', 'docs', 'adapters', 'cli', 'api'],
  select: ['api', 'cli', 'adapters', 'templating'],
  templating: ['parse', 'graph', 'adapters/duckdb', 'adapters/bigquery', 'cli', 'api'],
};
/** Folders that may import values from these folders only (besides themselves). */
const ONLY: Record<string, string[]> = {
  cli: ['api', 'diagnostics'],
  lineage: ['diagnostics'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test-support' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The relative modules a file imports or re-exports values from (not `import type`, not all-`type` specifiers). */
export function valueImports(text: string): string[] {
  const file = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const s of file.statements) {
    if (ts.isImportDeclaration(s)) {
      const clause = s.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const onlyTypes = clause && !clause.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) out.push((s.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && !s.isTypeOnly) {
      const named = s.exportClause;
      const onlyTypes = named && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) out.push((s.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!);
  return out.filter((m) => m.startsWith('.'));
}

/** Every forbidden value import under src/, as `file: imports target`. */
function crossings(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split('/')[0]!;
    if (!(from in FORBIDDEN) && !(from in ONLY)) continue;
    for (const spec of valueImports(readFileSync(file, 'utf8'))) {
      const target = relative(SRC, resolve(dirname(file), spec)).replace(/\\/g, '/');
      const to = target.split('/')[0]!;
      if (to === from || to.startsWith('..')) continue;
      const bad = ONLY[from] ? !ONLY[from]!.includes(to) : FORBIDDEN[from]!.some((f) => target === f || target.startsWith(`${f}/`));
      if (bad) found.push(`${relative(SRC, file)}: imports ${target}`);
    }
  }
  return found;
}

describe('stage boundaries (the READMEs\' "Must not import")', () => {
  it('tells value imports from type-only ones', () => {
    expect(valueImports(`import type { A } from '../a.js';\nimport { type B } from '../b.js';\nimport { c, type C } from '../c.js';\nexport { d } from '../d.js';\nexport type { E } from '../e.js';\nimport '../f.js';\nconst g = await import('../g.js');`)).toEqual(['../c.js', '../d.js', '../f.js', '../g.js']);
  });

  it('no folder imports values from a folder its README forbids', () => {
    expect(crossings()).toEqual([]);
  });
});
