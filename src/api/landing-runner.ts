import type { ManifestNode } from '../parse/types.js';
import type { NodeOutcome } from '../execute/index.js';
import type { NodeRunContext } from './node-runner.js';

/** Lands one external source's new files into its bronze relation. */
export async function runLandingNode(ctx: NodeRunContext, node: ManifestNode): Promise<NodeOutcome> {
  void ctx;
  return { status: 'error', message: `landing ${node.name}: loading external sources is not implemented yet` };
}
