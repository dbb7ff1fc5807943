import { describe, it, expect } from 'vitest';
import { scanSimpleTemplate } from './fast-path.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../api/index.js';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';

const kinds = (text: string): string[] | undefined => scanSimpleTemplate(text, 'm.sql')?.map((c) => c.kind);

describe('scanSimpleTemplate', () => {
  it('takes ref, source and config with literal arguments, and comments', () => {
    expect(kinds("{{ config(materialized='table', tags=['a', 'b']) }} select * from {{ ref('a') }} join {{ source('s', 't') }}")).toEqual(['config', 'ref', 'source']);
    expect(kinds("{# {% if x %} {{ cents('a') }} #} select {{ ref('a') }}")).toEqual(['comment', 'ref']);
    expect(kinds("{{\nref('a') }}")).toEqual(['ref']);
    expect(kinds('select 1')).toEqual([]);
  });

  it('gives up on statement tags and on any other expression, wherever they are', () => {
    for (const text of [
      "{{ config(tags=['a']) }} select {{ cents('amount') }} from {{ ref('a') }}",
      "select * from {{ ref('a') }} {% if is_incremental() %} where x > 1 {% endif %}",
      "{{ ref('a', v={'x': 1}) }}",
      "{{ refx('a') }}",
      "{#unterminated {{ ref('a') }}",
      '{%',
      '{{',
    ]) expect(kinds(text), text).toBeUndefined();
  });

  it('reads the odd texts as before: a brace before a tag is text', () => {
    expect(kinds("{{{ ref('a') }}")).toEqual(['ref']);
    expect(kinds("{ {{ ref('a') }}")).toEqual(['ref']);
  });
});

describe("comments with whitespace control in a simple model (the scan's substitution, not a render)", () => {
  const project = projectsRemovedAfterAll();
  it("`{#-` and `-#}` remove the whitespace around the comment, newlines included, as Jinja2's do", async () => {
    // The expected texts are Jinja2's renders of the same templates (with '' for config and the relation's name for ref).
    const dir = project({
      'models/base.sql': 'select 1 as id',
      'models/a.sql': "{{ config(materialized='view') }}\n{#- notes -#}\nselect 1 as id\n",
      'models/b.sql': "{{ config(materialized='view') }}\n  {#- a -#}  {#- b #}\n\n{#  c -#}\nselect id from {{ ref('base') }} {#- d -#}\n",
    });
    expect((await compile({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const compiled = (name: string): string => readFileSync(join(dir, 'target/compiled/p/models', `${name}.sql`), 'utf8');
    expect(compiled('a')).toBe('select 1 as id');
    expect(compiled('b')).toBe('\n\nselect id from "test"."main"."base"');
  });
});
