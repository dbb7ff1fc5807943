/**
 * The committed corpus (`corpus/*.json`) is what `scripts/jinja-corpus/generate.py` makes of the cases in
 * `scripts/jinja-corpus/cases/*.yml`: a case edited, added or removed without regenerating fails here.
 * (Expected results need Jinja2 to check; names, templates and contexts do not.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type CaseSpec = string | { template: string; context?: Record<string, unknown>; dbt?: boolean; parse?: boolean };
interface CorpusCase {
  name: string;
  template: string;
  context: Record<string, unknown>;
  dbt?: boolean;
  parse?: boolean;
}

const casesDir = new URL('../../../scripts/jinja-corpus/cases/', import.meta.url);
const corpusDir = new URL('./corpus/', import.meta.url);

function fromInput(topic: string): CorpusCase[] {
  const specs = parse(readFileSync(new URL(`${topic}.yml`, casesDir), 'utf8')) as Record<string, CaseSpec>;
  return Object.entries(specs).map(([what, spec]) => {
    const s = typeof spec === 'string' ? { template: spec } : spec;
    return { name: `${topic}/${what}`, template: s.template, context: s.context ?? {}, ...(s.dbt ? { dbt: true } : {}), ...(s.parse ? { parse: true } : {}) };
  });
}

function fromCorpus(topic: string): CorpusCase[] {
  const cases = JSON.parse(readFileSync(new URL(`${topic}.json`, corpusDir), 'utf8')) as CorpusCase[];
  return cases.map((c) => ({ name: c.name, template: c.template, context: c.context, ...(c.dbt ? { dbt: true } : {}), ...(c.parse ? { parse: true } : {}) }));
}

const topicsOf = (dir: URL, ext: string): string[] =>
  readdirSync(dir).filter((f) => f.endsWith(ext)).map((f) => f.slice(0, -ext.length)).sort();

describe('Jinja2 corpus is regenerated from its cases', () => {
  it('has one corpus file per case file', () => {
    expect(topicsOf(corpusDir, '.json')).toEqual(topicsOf(casesDir, '.yml'));
  });
  it.each(topicsOf(casesDir, '.yml'))('%s', (topic) => {
    expect(fromCorpus(topic)).toEqual(fromInput(topic));
  });
});
