import type { Diagnostic } from '../diagnostics/index.js';
import type { RenderNode, TemplateEngine } from '../templating/types.js';
import type { RefCall, SourceCall } from './types.js';

/**
 * The refs and sources a node's `pre_hook`/`post_hook` name, as dbt's parse records them: they are the node's
 * dependencies too (a post_hook writing into `ref('audit')` runs after audit is built). Only hooks that name
 * one are rendered (in the parse context, as the node's own template); positions are left out, since they
 * would point into the hook's text, not the node's file. A hook's ref to the node itself (a folder-wide
 * `+post-hook` that writes into `ref('audit')`, applied to `audit` too) is no dependency: it would be a cycle.
 * A seed's hooks may name none (dbt's ParsingError, dbt-core#6806): a seed is loaded before anything is built.
 */
export function hookCalls(engine: TemplateEngine, node: RenderNode, hooks: string[]): { refs: RefCall[]; sources: SourceCall[]; diagnostics: Diagnostic[] } {
  const out = { refs: [] as RefCall[], sources: [] as SourceCall[], diagnostics: [] as Diagnostic[] };
  for (const hook of hooks.filter((h) => /\b(ref|source)\s*\(/.test(h))) {
    const r = engine.parseRender(node, hook);
    if (node.resourceType === 'seed' && (r.refs.length || r.sources.length)) {
      out.diagnostics.push(seedHookDependency(node, r.refs, r.sources));
      continue;
    }
    const self = (call: RefCall): boolean => call.name === node.name && (call.package === undefined || call.package === node.packageName);
    out.refs.push(...r.refs.filter((call) => !self(call)).map(({ at: _at, ...call }) => call));
    out.sources.push(...r.sources.map(({ at: _at, ...call }) => call));
    out.diagnostics.push(...r.diagnostics);
  }
  return out;
}

function seedHookDependency(node: RenderNode, refs: RefCall[], sources: SourceCall[]): Diagnostic {
  const named = [...refs.map((r) => `ref('${r.name}')`), ...sources.map((c) => `source('${c.source}', '${c.table}')`)].join(', ');
  return {
    code: 'seed-hook-dependency',
    severity: 'error',
    message: `Seeds cannot depend on other nodes: a pre- or post-hook of seed '${node.name}' calls ${named}`,
    file: node.file,
    line: 1,
    hint: 'move the statement into an on-run-end hook or a model\'s post-hook',
  };
}
