import type { Manifest, ManifestNode } from '../parse/types.js';
import { isMicrobatch } from '../materializations/index.js';
import type { TemplateWarehouse } from '../templating/types.js';
import type { Compiler } from '../compile/index.js';

/**
 * Renders models that are ready to run while the warehouse is busy with others: a node waiting for a free thread
 * has every parent built, so its SQL is what its own turn would render. A render that asks the warehouse anything
 * (`run_query`, `adapter.get_columns_in_relation`, …) is dropped and done again in the node's turn, so that what
 * it reads is read then; so is one that fails, so its error is reported in the node's turn. Rendering is
 * JavaScript on the main thread and the warehouse works on threads of its own: ahead of time, a render costs the
 * run no time at all, where in its turn it would keep the warehouse waiting (with one thread, for each node).
 * What a render logs (`log(…, info=True)`, `print()`) is kept and shown in the node's turn, after its START line,
 * as dbt shows it; a dropped render's log is dropped with it (its render in turn logs again).
 */
/** A node's SQL rendered ahead: `record()` stores it as its turn's render would; `logs`, what the render logged. */
export interface RenderedAhead {
  sql: string;
  record: () => Promise<void>;
  logs: string[];
}

export class RenderAhead {
  private readonly rendered = new Map<string, Promise<RenderedAhead | undefined>>();

  constructor(
    private readonly compiler: Pick<Compiler, 'compileUnrecorded'>,
    private readonly manifest: Pick<Manifest, 'nodes'>,
  ) {}

  /** Starts rendering these nodes (those that can be rendered ahead and are not yet). */
  start(nodes: ManifestNode[]): void {
    for (const node of nodes) {
      if (this.rendered.has(node.uniqueId) || !this.rendersAhead(node)) continue;
      const probe = refusingWarehouse();
      const logs: string[] = [];
      // Nothing is recorded yet (compiled_code, the compiled file): the node may still be skipped.
      const done = this.compiler.compileUnrecorded(node.uniqueId, probe.warehouse, (message) => logs.push(message)).then(
        (compiled) => (probe.asked ? undefined : { ...compiled, logs }),
        () => undefined,
      );
      this.rendered.set(node.uniqueId, done);
    }
  }

  /**
   * Tables, views and incremental models: what `node-runner.ts` compiles itself before materializing. Not one
   * that reads an ephemeral model: the compiler keeps an ephemeral's body for every later render, and that body
   * must come from a render in turn.
   */
  private rendersAhead(node: ManifestNode): boolean {
    // A microbatch model renders once per batch, in its turn.
    if (node.resourceType !== 'model' || node.config.materialized === 'ephemeral' || isMicrobatch(node)) return false;
    return !node.dependsOn.nodes.some((id) => this.manifest.nodes[id]?.config.materialized === 'ephemeral');
  }

  /** The SQL rendered ahead for this node, once, recorded now as its turn's render would be; undefined when it must render in its turn. */
  async take(id: string): Promise<string | undefined> {
    const compiled = await this.takeUnrecorded(id);
    if (!compiled) return undefined;
    await compiled.record();
    return compiled.sql;
  }

  /** As `take`, leaving the recording (`compiled_code`, the compiled file) and the render's `logs` to the caller: `record()` must be called once the node runs. */
  takeUnrecorded(id: string): Promise<RenderedAhead | undefined> | undefined {
    const pending = this.rendered.get(id);
    if (!pending) return undefined;
    this.rendered.delete(id);
    return pending;
  }
}

/**
 * A warehouse that answers nothing: any question marks the render as one that must run in its turn. The mark is
 * kept even if a template swallowed the error, so no answer made up here can reach SQL that runs.
 */
function refusingWarehouse(): { warehouse: TemplateWarehouse; asked: boolean } {
  const probe = { asked: false, warehouse: undefined as unknown as TemplateWarehouse };
  const refuse = (): never => {
    probe.asked = true;
    throw new Error('rendered ahead: this render asks the warehouse, so it runs in its turn');
  };
  probe.warehouse = { query: async () => refuse(), getColumns: async () => refuse(), relationExists: async () => refuse() };
  return probe;
}
