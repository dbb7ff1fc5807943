/**
 * The Jinja2 conformance corpus: every case of every `corpus/<topic>.json` (rendered by real Jinja2 with
 * `scripts/jinja-corpus/generate.py`) must render identically, or raise the same kind of error.
 * One `it` per case, so one failure never hides the rest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS_DEVIATIONS } from './conformance-deviations.js';

interface ExpectedError {
  kind: string;
  /** The Python exception class Jinja2 raised, e.g. `TypeError`. */
  python: string;
  message: string;
  /** 1-based template line Jinja2 reported (syntax errors) or raised at (other errors). */
  line?: number;
}

interface CorpusCase {
  name: string;
  template: string;
  context: Record<string, unknown>;
  /** Rendered with dbt's `return()` and block tags (see corpus/README.md); the engine is given `{ dbt: true }`. */
  dbt?: boolean;
  /** Rendered with the undefined dbt uses while parsing; the engine is given `{ parse: true }`. */
  parse?: boolean;
  expected: { output: string } | { error: ExpectedError };
}

/** What the test needs of the engine (`./index.ts`). */
interface JinjaEngine {
  renderJinja(source: string, context: Record<string, unknown>, options?: { name?: string; dbt?: boolean; parse?: boolean }): unknown;
  JinjaError: new (...args: never[]) => Error & { kind: string; line?: number };
}

const corpusDir = new URL('./corpus/', import.meta.url);
const topics = readdirSync(corpusDir).filter((f) => f.endsWith('.json')).sort();

// A non-literal specifier: the corpus is committed before the engine, and typecheck must not need it.
const enginePath = './index.js';
const engine = (await import(enginePath)) as JinjaEngine;

async function renderCase(c: CorpusCase): Promise<{ output: string } | { thrown: unknown }> {
  try {
    const options = c.dbt || c.parse ? { ...(c.dbt ? { dbt: true } : {}), ...(c.parse ? { parse: true } : {}) } : undefined;
    return { output: String(await engine.renderJinja(c.template, structuredClone(c.context), options)) };
  } catch (thrown) {
    return { thrown };
  }
}

async function checkCase(c: CorpusCase): Promise<void> {
  const result = await renderCase(c);
  if ('output' in c.expected) {
    if ('thrown' in result) throw result.thrown;
    expect(result.output).toBe(c.expected.output);
    return;
  }
  const want = c.expected.error;
  if ('output' in result) {
    expect.fail(`rendered ${JSON.stringify(result.output)}; Jinja2 raises ${want.python}: ${want.message}`);
  }
  expect(result.thrown, `Jinja2 raises ${want.python}: ${want.message}`).toBeInstanceOf(engine.JinjaError);
  const err = result.thrown as InstanceType<JinjaEngine['JinjaError']>;
  expect(err.kind, `Jinja2 raises ${want.python}: ${want.message}; got: ${err.message}`).toBe(want.kind);
  if (want.kind === 'syntax' && want.line !== undefined) {
    expect(err.line, `line of: ${want.message}`).toBe(want.line);
  }
}

const allNames = new Set<string>();
for (const file of topics) {
  const cases = JSON.parse(readFileSync(new URL(file, corpusDir), 'utf8')) as CorpusCase[];
  for (const c of cases) allNames.add(c.name);
  const conforming = cases.filter((c) => !(c.name in CORPUS_DEVIATIONS));
  const deviating = cases.filter((c) => c.name in CORPUS_DEVIATIONS);
  describe(file, () => {
    it.each(conforming.map((c) => [c.name, c] as const))('%s', (_name, c) => checkCase(c));
    for (const c of deviating) {
      it.fails(`${c.name} (known deviation: ${CORPUS_DEVIATIONS[c.name]})`, () => checkCase(c));
    }
  });
}

describe('corpus', () => {
  it('has the breadth the issue asks for', () => {
    expect(allNames.size).toBeGreaterThanOrEqual(450);
  });
  it('lists only existing cases as deviations', () => {
    expect(Object.keys(CORPUS_DEVIATIONS).filter((name) => !allNames.has(name))).toEqual([]);
  });
});
