import { describe, it, expect } from 'vitest';
import { hoistLiterals } from './literal-hoisting.js';

describe('literal hoisting', () => {
  it('turns the string literals of a one-expression template into variables', () => {
    expect(hoistLiterals(`{{ test_not_null(model=get_where_subquery(ref('orders')), column_name="id") }}`)).toEqual({
      template: '{{ test_not_null(model=get_where_subquery(ref(__strata_lit_0)), column_name=__strata_lit_1) }}',
      values: { __strata_lit_0: 'orders', __strata_lit_1: 'id' },
    });
  });

  it('reads escapes as nunjucks does and keeps dict keys and surrounding whitespace', () => {
    expect(hoistLiterals(`\n{{ f({'a': 'it\\'s', "b" : x}) }}\n`)).toEqual({ template: `\n{{ f({'a': __strata_lit_0, "b" : x}) }}\n`, values: { __strata_lit_0: "it's" } });
    expect(hoistLiterals(`{{ "}}" ~ x }}`)).toEqual({ template: '{{ __strata_lit_0 ~ x }}', values: { __strata_lit_0: '}}' } });
  });

  it('leaves alone templates with blocks, comments, text, two expressions or no literal', () => {
    for (const t of ['{% set x = 1 %}{{ f("a") }}', '{{ f("a") }} {# c #}', 'select {{ f("a") }}', '{{ f("a") }}{{ g("b") }}', '{{ f(x) }}', '{{ f("a\nb") }}', '{{ f("a") ', `{{ x | replace(r/"a"/g, 'b') }}`]) {
      expect(hoistLiterals(t)).toBeUndefined();
    }
  });
});
