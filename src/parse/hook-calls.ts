import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import type { RenderNode, TemplateEngine } from '../templating/types.js';
import type { RefCall, SourceCall } from './types.js';

/**
 * The refs and sources a node's `pre_hook`/`post_hook` name, as dbt's parse records them: they are the node's
 * dependencies too (a post_hook writing into `ref('audit')` runs after audit is built). Only hooks that name
 * one are rendered (in the parse context, as the node's own template); positions are left out, since they
 * would point into the hook's text, not the node's file. A hook's ref to the node itself (a folder-wide
 * `+post-hook` that writes into `ref('audit')`, applied to `audit` too) is no dependency: it would be a cycle.
 * A seed's hooks may name none (dbt's ParsingError, dbt-core#6806): a seed is loaded before anything is built;
 * that error points where the hook is written (`site`, asked only then), else at the seed's file.
 */
export function hookCalls(engine: TemplateEngine, node: RenderNode, hooks: string[], site?: (hook: string) => HookSite): { refs: RefCall[]; sources: SourceCall[]; diagnostics: Diagnostic[] } {
  const out = { refs: [] as RefCall[], sources: [] as SourceCall[], diagnostics: [] as Diagnostic[] };
  for (const hook of hooks.filter((h) => /\b(ref|source)\s*\(/.test(h))) {
    const r = engine.parseRender(node, hook);
    if (node.resourceType === 'seed' && (r.refs.length || r.sources.length)) {
      out.diagnostics.push(seedHookDependency(node, r.refs, r.sources, site?.(hook) ?? { file: node.file, line: 1 }));
      continue;
    }
    const self = (call: RefCall): boolean => call.name === node.name && (call.package === undefined || call.package === node.packageName);
    out.refs.push(...r.refs.filter((call) => !self(call)).map(({ at: _at, ...call }) => call));
    out.sources.push(...r.sources.map(({ at: _at, ...call }) => call));
    out.diagnostics.push(...r.diagnostics);
  }
  return out;
}

function seedHookDependency(node: RenderNode, refs: RefCall[], sources: SourceCall[], where: HookSite): Diagnostic {
  const named = [...refs.map((r) => `ref('${r.name}')`), ...sources.map((c) => `source('${c.source}', '${c.table}')`)].join(', ');
  return {
    code: 'seed-hook-dependency',
    severity: 'error',
    message: `Seeds cannot depend on other nodes: a pre- or post-hook of seed '${node.name}' calls ${named}`,
    ...where,
    hint: 'move the statement into an on-run-end hook or a model\'s post-hook',
  };
}

export interface HookSite { file: string; line?: number }

const HOOK_KEY = /^\+?(pre|post)[-_]hook$/;

/**
 * Where a node's hook is written: its property file's entry when that sets a hook, else the project file, at
 * the line holding the hook's first line of text (or its first hook key).
 */
export function hookSite(hook: string, patch: { file: string; line?: number; config?: Record<string, unknown> } | undefined, rootDir: string, projectFile: string): HookSite {
  if (patch?.config && Object.keys(patch.config).some((k) => HOOK_KEY.test(k))) return { file: patch.file, ...(patch.line ? { line: patch.line } : {}) };
  let text = '';
  try {
    text = readFileSync(join(rootDir, projectFile), 'utf8');
  } catch {
    return { file: projectFile };
  }
  const lines = text.split('\n');
  const first = hook.trim().split('\n')[0]!.trim();
  const at = lines.findIndex((l) => first !== '' && l.includes(first));
  const key = at >= 0 ? at : lines.findIndex((l) => /^\s*(-\s*)?\+?(pre|post)[-_]hook\s*:/.test(l));
  return { file: projectFile, ...(key >= 0 ? { line: key + 1 } : {}) };
}
