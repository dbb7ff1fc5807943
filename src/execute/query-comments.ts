import type { Connection } from '../adapters/contract.js';
import { commentConnection, type QueryCommentPlacement } from '../adapters/query-comment.js';
import { UserError, type Diagnostic } from '../diagnostics/index.js';
import type { ManifestNode, SourceDefinition } from '../parse/types.js';
import { DBT_COMPAT_VERSION } from '../project/dbt-compat.js';
import type { QueryCommentConfig } from '../project/query-comment-config.js';
import { pyJsonDumps } from '../templating/jinja/json.js';
import { runRenderContext } from '../compile/index.js';
import type { RunProject } from './types.js';

/** The name dbt gives the connection of statements outside any node (on-run-start/end, introspection). */
export const MASTER_CONNECTION = 'master';

/** What a comment can be of: a node, or a source whose freshness is checked (dbt's connection is named after it). */
export type CommentedNode = ManifestNode | SourceDefinition;

/**
 * The project's `query-comment`, rendered for each node (once: every statement of the node carries it) and
 * for the statements outside any node. dbt's default comment is written here without a render; a project's
 * own is Jinja, rendered as dbt renders it: the body of a macro `query_comment_macro(connection_name, node)`
 * (`node`: the node, or none outside one), with the project's macros, `target`, `var`, `env_var`. Its text
 * passes through the secret scrubber: a comment is sent with every statement and lands in the warehouse's
 * query history.
 */
export class QueryComments {
  private readonly config: QueryCommentConfig;
  private readonly rendered = new Map<string, Promise<string | undefined>>();

  constructor(private readonly p: RunProject) {
    this.config = p.project.config.queryComment ?? { append: false, jobLabel: false };
  }

  /** Where the comment goes; undefined when the project has none (`query-comment: null` or `''`). */
  get placement(): QueryCommentPlacement | undefined {
    return this.config.comment === '' ? undefined : { append: this.config.append, jobLabel: this.config.jobLabel };
  }

  /** The comment of statements outside any node. A template that fails, or a comment holding `*\/`, is a UserError at the project file's key. */
  master(): Promise<string | undefined> {
    return this.memo(`connection:${MASTER_CONNECTION}`, () => this.render(MASTER_CONNECTION, undefined));
  }

  /** A node's comment (dbt names its connection after the node's id). */
  forNode(node: CommentedNode): Promise<string | undefined> {
    return this.memo(node.uniqueId, () => this.render(node.uniqueId, node));
  }

  private memo(key: string, make: () => Promise<string | undefined>): Promise<string | undefined> {
    let found = this.rendered.get(key);
    if (!found) this.rendered.set(key, (found = make()));
    return found;
  }

  private async render(connectionName: string, node: CommentedNode | undefined): Promise<string | undefined> {
    if (this.placement === undefined) return undefined;
    const text = this.config.comment === undefined ? this.defaultComment(connectionName, node) : await this.renderTemplate(this.config.comment, connectionName, node);
    const comment = this.p.scrubber.scrub(text).trim();
    if (comment.includes('*/')) throw this.problem(`query-comment renders a comment holding "*/", which would end it early: ${comment}`);
    return comment || undefined;
  }

  /** dbt's default: `{"app": "dbt", "dbt_version": …, "profile_name": …, "target_name": …, "node_id": …}` (`connection_name` outside a node). */
  private defaultComment(connectionName: string, node: CommentedNode | undefined): string {
    const { project } = this.p;
    return pyJsonDumps({
      app: 'dbt',
      dbt_version: DBT_COMPAT_VERSION,
      profile_name: project.config.profile,
      target_name: project.target.name,
      ...(node ? { node_id: node.uniqueId } : { connection_name: connectionName }),
    });
  }

  private async renderTemplate(comment: string, connectionName: string, node: CommentedNode | undefined): Promise<string> {
    const { project, adapter, engine } = this.p;
    const source = `{%- macro query_comment_macro(connection_name, node) -%}\n${comment}\n{% endmacro %}{{ query_comment_macro(connection_name, node) }}`;
    const name = 'query_comment';
    const context = runRenderContext(
      { dialect: adapter.dialect, thisRelation: { database: project.target.database, schema: project.target.schema, identifier: '' }, resolver: NO_REFS },
      { extraContext: { connection_name: connectionName, node: node ? nodeView(node) : null } },
    );
    try {
      return await engine.runRender({ uniqueId: `operation.${project.config.name}.${name}`, name, resourceType: 'operation', packageName: project.config.name, file: project.config.configFile, fqn: [project.config.name, name], config: {} } as never, source, context);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      throw this.problem(`query-comment does not render: ${e.diagnostics.map((d) => d.message).join('; ')}`);
    }
  }

  private problem(message: string): UserError {
    const d: Diagnostic = { code: 'query-comment-invalid', severity: 'error', message, file: this.p.project.config.configFile, ...(this.config.line ? { line: this.config.line } : {}), hint: 'fix query-comment in the project file, or set it to null to send no comment' };
    return new UserError(d);
  }
}

/**
 * A connection of a command that runs no node (run-operation, show, compile's introspection, docs generate,
 * plan): its statements carry the comment of statements outside any node. A comment that does not render is a
 * UserError.
 */
export async function commentOutsideNodes(p: RunProject, connection: Connection): Promise<Connection> {
  const comments = new QueryComments(p);
  const placement = comments.placement;
  return placement ? commentConnection(connection, placement, await comments.master()).connection : connection;
}

/** A connection whose comment follows the node it runs now (`use(node)`), outside any node until told. */
export interface NodeCommentedConnection {
  connection: Connection;
  /** The node's comment from now on (undefined: outside any node's); a comment that does not render is a UserError. */
  use(node: CommentedNode | undefined): Promise<void>;
}

/**
 * A connection of a command that runs nodes itself (clone, source freshness): as dbt names a node's connection
 * after the node, each node's statements carry its own comment. One `comments` for all of a command's
 * connections renders each comment once. The master comment is rendered here: a UserError before any node runs.
 */
export async function commentPerNode(comments: QueryComments, connection: Connection): Promise<NodeCommentedConnection> {
  const placement = comments.placement;
  if (!placement) return { connection, use: async () => undefined };
  const commented = commentConnection(connection, placement, await comments.master());
  return {
    connection: commented.connection,
    use: async (node) => commented.setComment(node ? await comments.forNode(node) : await comments.master()),
  };
}

/** A node's comment set on its connection, or the node's failure when the comment does not render (dbt fails the node). */
export async function useNodeComment(connection: NodeCommentedConnection, node: CommentedNode): Promise<{ status: 'error'; message: string } | undefined> {
  try {
    await connection.use(node);
    return undefined;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { status: 'error', message: e.diagnostics.map((d) => d.message).join('; ') };
  }
}

/** ref() and source() have no meaning in a comment: dbt renders it without them. */
const NO_REFS = {
  ref: () => ({ error: 'ref() cannot be used in query-comment' }),
  source: () => ({ error: 'source() cannot be used in query-comment' }),
};

/** The node as the comment's template reads it (dbt's node, whose missing attributes read as ''); a source as dbt's SourceDefinition. */
function nodeView(n: CommentedNode): Record<string, unknown> {
  const common = {
    unique_id: n.uniqueId, name: n.name, resource_type: n.resourceType, package_name: n.packageName, path: n.path,
    original_file_path: n.originalFilePath, fqn: n.fqn, tags: n.tags, config: n.config, meta: n.meta,
    database: n.database ?? null, schema: n.schema, description: n.description,
  };
  return n.resourceType === 'source' ? { ...common, source_name: n.sourceName, identifier: n.identifier, loader: n.loader } : { ...common, alias: n.alias };
}
