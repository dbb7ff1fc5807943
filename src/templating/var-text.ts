/**
 * dbt renders a var's text when `var()` reads it, with the reading template's context (dbt's
 * `Var.get_rendered_var`): a project file may say `cms_hcc_payment_year: '{{ run_started_at.strftime("%Y") }}'`
 * (the Tuva project does), which no load-time render can know. The result is text, as dbt's. The reading
 * template's context is its whole frame, the project's and packages' macros included (`'{{ my_macro() }}'`, as
 * dbt's `get_rendered(raw, dict(self._context))`), whether the value came from the project file or `--vars`; in
 * a run's (async) render the text renders async too, so a macro there may query the warehouse.
 */
import { CompiledTemplate, defaultGlobals, rootFrame } from './jinja/index.js';
import { currentRender } from './macro-registry.js';

const compiled = new Map<string, CompiledTemplate>();
/** Jinja's globals (range, dict, …), made once: a var read in a loop renders often. */
let globals: Record<string, unknown> | undefined;

export function renderedVar(value: unknown, context: Record<string, unknown>): unknown {
  if (typeof value !== 'string' || (!value.includes('{{') && !value.includes('{%'))) return value;
  let t = compiled.get(value);
  if (!t) {
    t = new CompiledTemplate(value, '<var>');
    if (compiled.size > 1000) compiled.clear();
    compiled.set(value, t);
  }
  const render = currentRender();
  // A frame of its own above the template's, so a {% set %} in the var's text stays there.
  if (render) return render.async ? t.renderAsync(Object.create(render.scope) as Record<string, unknown>) : t.renderSync(Object.create(render.scope) as Record<string, unknown>);
  return t.renderSync(rootFrame((globals ??= defaultGlobals()), context));
}
