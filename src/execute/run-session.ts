import type { Connection, Warehouse } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import { Ledger } from '../landing/ledger.js';
import { RelationCache } from './relation-cache.js';
import { commentConnection, withQueryComment } from '../adapters/query-comment.js';
import { QueryComments, type CommentedNode } from './query-comments.js';
import type { RunProject } from './types.js';
import { UnitTestWarehouses } from './unit-test-warehouses.js';
import { embeddedConventions } from '../adapters/registry.js';

export interface SchemaRef {
  schema: string;
  database?: string;
}

/**
 * The warehouse side of one command: the opened target, one connection per thread (the first is the
 * admin connection hooks and bookkeeping use), the schemas the selection builds into and what exists.
 * `open` may fail half way; `close` closes whatever was opened.
 */
export class RunSession {
  warehouse?: Warehouse;
  readonly connections: Connection[] = [];
  schemas: SchemaRef[] = [];
  /** The relation cache: what exists, read once per schema, kept up to date as nodes build. */
  state = new RelationCache();
  /** The project's `query-comment`, rendered per node; each connection's setter of its comment. */
  readonly comments: QueryComments;
  private readonly setComment: ((comment: string | undefined) => void)[] = [];
  /** The comment each connection sends now. */
  private readonly current: (string | undefined)[] = [];
  private master?: string;
  /** The in-memory warehouses of the selected unit tests, when they run in memory (the target is the embedded warehouse). */
  unitTests?: UnitTestWarehouses;

  constructor(private readonly p: RunProject) {
    this.comments = new QueryComments(p);
  }

  get admin(): Connection {
    const admin = this.connections[0];
    if (!admin) throw new Error('RunSession: not open');
    return admin;
  }

  /**
   * Opens the target (or takes it as `opening`, opened while the project was read), creates the schemas the
   * selected nodes build into (and the landing ledger), reads what exists.
   */
  async open(selected: ManifestNode[], opening?: Promise<Warehouse>): Promise<void> {
    const p = this.p;
    const targets = selected.filter((n) => n.resourceType !== 'test' && n.resourceType !== 'unit_test');
    // A query-comment that does not render stops the command before the warehouse is written to.
    this.master = await this.comments.master();
    this.warehouse = await (opening ?? p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId }));
    const admin = await this.connect();
    this.schemas = uniqueSchemas(targets);
    for (const s of this.schemas) await admin.execute(p.adapter.dialect.createSchema(s.schema, s.database));
    // The landing ledger is created once, up front: concurrent landing nodes creating it would conflict.
    if (targets.some((n) => n.resourceType === 'landing')) await new Ledger(admin, p.adapter.dialect).ensure();
    this.state = await RelationCache.load(admin, this.schemas);
    this.unitTests = unitTestWarehouses(p, selected);
    this.unitTests?.openAhead();
  }

  /** Opens the other threads' connections. */
  async openThreads(threads: number): Promise<void> {
    for (let i = this.connections.length; i < threads; i++) await this.connect();
  }

  /** A new connection of the warehouse, its statements carrying the query comment (outside any node's until told). */
  private async connect(): Promise<Connection> {
    const raw = await this.warehouse!.connect();
    const placement = this.comments.placement;
    const commented = placement ? commentConnection(raw, placement, this.master) : { connection: raw, setComment: () => undefined };
    this.connections.push(commented.connection);
    this.setComment.push(commented.setComment);
    this.current.push(this.master);
    return commented.connection;
  }

  /**
   * The comment of a worker's statements from now on: its node's (rendered once per node), or outside any.
   * A node's comment that fails to render is a UserError.
   */
  async commentFor(worker: number, node: CommentedNode | undefined): Promise<void> {
    if (!this.comments.placement) return;
    const comment = node ? await this.comments.forNode(node) : this.master;
    const i = worker % this.setComment.length;
    this.setComment[i]?.(comment);
    this.current[i] = comment;
  }

  /** A statement as a worker's connection sends it now, with its comment (for the log: dbt's debug log shows it). */
  asSent(worker: number, sql: string): string {
    const placement = this.comments.placement;
    return placement && this.current.length ? withQueryComment(sql, this.current[worker % this.current.length], placement.append) : sql;
  }

  /** The connection of a scheduler worker. */
  connectionOf(worker: number): Connection {
    return this.connections[worker % this.connections.length]!;
  }

  /** Ctrl-C: cancels what every connection is running. */
  interrupt(): void {
    for (const c of this.connections) c.interrupt?.();
  }

  async close(): Promise<void> {
    await this.unitTests?.close();
    for (const c of this.connections) await c.close().catch(() => undefined);
    await this.warehouse?.close().catch(() => undefined);
  }
}

/**
 * The unit tests' in-memory warehouses, when some are selected and run in memory: on the embedded warehouse,
 * whose adapter is then the target's (unit-test-runner.ts).
 */
function unitTestWarehouses(p: RunProject, selected: ManifestNode[]): UnitTestWarehouses | undefined {
  const tests = selected.filter((n) => n.resourceType === 'unit_test').length;
  const embedded = embeddedConventions();
  if (tests === 0 || p.adapter.type !== embedded.type) return undefined;
  return new UnitTestWarehouses(() => p.adapter.open(embedded.embedded.memoryTarget, { projectRoot: p.project.config.rootDir }), tests);
}

function uniqueSchemas(nodes: ManifestNode[]): SchemaRef[] {
  const seen = new Map<string, SchemaRef>();
  for (const n of nodes) {
    if (n.config.materialized === 'ephemeral' || !n.schema) continue;
    seen.set(`${n.database ?? ''}.${n.schema}`, { schema: n.schema, database: n.database });
  }
  return [...seen.values()];
}
