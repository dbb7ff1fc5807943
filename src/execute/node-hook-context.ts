import type { ManifestNode } from '../parse/types.js';
import type { RunRenderContext } from '../templating/index.js';
import type { NodeRunContext } from './node-runner.js';

/** What a node's hooks see beside the compiler's hook context: `thread_id`, the thread running the node. */
export function nodeHookContext(ctx: Pick<NodeRunContext, 'compiler' | 'threadId'>, node: ManifestNode): Partial<RunRenderContext> {
  const more = ctx.compiler.hookContext(node);
  return ctx.threadId ? { ...more, extraContext: { ...more.extraContext, thread_id: ctx.threadId } } : more;
}
