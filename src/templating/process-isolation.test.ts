/**
 * Strata's template engine changes nothing outside itself: an autoescaping nunjucks environment, made
 * before and after Strata loads and renders, behaves the same (it escapes HTML and keeps JavaScript's truthiness).
 */
import { describe, it, expect } from 'vitest';
import nunjucks from 'nunjucks';

const TEMPLATE = "{{ html }}|{% if empty %}yes{% else %}no{% endif %}|{{ [1, 2] }}|{{ 7 / 2 }}|{{ 'a' + 1 }}";
const render = (): string => new nunjucks.Environment(null, { autoescape: true }).renderString(TEMPLATE, { html: '<b>x</b>', empty: [] });

describe('process isolation', () => {
  it('leaves the nunjucks module as it was', async () => {
    const before = render();
    expect(before).toBe('&lt;b&gt;x&lt;/b&gt;|yes|1,2|3.5|a1');
    const { createTemplateEngine } = await import('./index.js');
    const engine = createTemplateEngine({ projectName: 'p', adapterType: 'duckdb', target: {}, vars: {}, env: {}, docs: {}, macroFiles: [{ path: 'm.sql', packageName: 'p', contents: '{% macro m(x) %}{{ x ~ 1 }}{% endmacro %}' }] });
    const node = { uniqueId: 'model.p.m', name: 'm', resourceType: 'model' as const, packageName: 'p', file: 'models/m.sql', fqn: ['p', 'm'], config: {} };
    const sql = await engine.runRender(node, "{% if [] %}x{% endif %}{{ m('<b>') }} {{ 7 / 2 }}", {
      thisRelation: { schema: 'main', identifier: 'm' }, renderRelation: (r) => r.identifier, quoteIdentifier: (n) => n,
      resolveRef: () => ({ error: 'no refs' }), resolveSource: () => ({ error: 'no sources' }), isIncremental: false, fullRefresh: false,
    });
    expect(sql).toBe('<b>1 3.5');
    expect(render()).toBe(before);
  });
});
