import { describe, it, expect } from 'vitest';
import { scanSimpleTemplate } from './fast-path.js';

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
