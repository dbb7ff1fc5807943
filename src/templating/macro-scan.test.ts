import { describe, expect, it } from 'vitest';
import { extractDocBlocks, scanMacros } from './macro-scan.js';

describe('scanMacros and extractDocBlocks', () => {
  it('give each block the line it starts on, blocks after blocks and several on one line', () => {
    const contents = '\n{% macro a() %}x{% endmacro %}\n\n{%- test b(model) -%}\ny\n{% endtest %}{% macro c(x, y=1) %}\n{% endmacro %}\n\n\n{% materialization d, adapter="duckdb" %}{% endmaterialization %}\n';
    expect(scanMacros({ path: 'macros/m.sql', packageName: 'p', contents }).map((m) => [m.name, m.kind, m.line, m.arguments])).toEqual([
      ['a', 'macro', 2, []],
      ['b', 'test', 4, ['model']],
      ['c', 'macro', 6, ['x', 'y']],
      ['d', 'materialization', 10, []],
    ]);
    const docs = 'intro\n{% docs one %}\nfirst\n{% enddocs %}{% docs two %}second{% enddocs %}\n\n{% docs three %}third{% enddocs %}';
    expect(extractDocBlocks('models/docs.md', docs).map((d) => [d.name, d.contents, d.line])).toEqual([['one', 'first', 2], ['two', 'second', 4], ['three', 'third', 6]]);
  });
});
