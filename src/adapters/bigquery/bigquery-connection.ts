import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BigQuery, Job, Query } from '@google-cloud/bigquery';
import type { ColumnDef, Connection, DryRunResult, ExecuteResult, ExistingRelation, QueryResult, Relation, RelationDetails, RelationKind, TableLayout } from '../contract.js';
import type { BigQuerySettings } from './bigquery-profile.js';
import { BigQueryJobError, classify, sleepBackoff } from './bigquery-errors.js';
import { seedSchema } from './bigquery-seed-schema.js';
import { bigquerySourceFormat, bigqueryDialect } from './bigquery-dialect.js';
import { loadJobOptions } from './bigquery-load-options.js';
import { labelsFromComment, queryJobLabels } from './bigquery-job-labels.js';
import { bigqueryRelationDetails } from './bigquery-catalog-stats.js';
import { STANDARD_TYPES } from './bigquery-catalog-columns.js';
import { selectResponse } from './bigquery-response.js';
import { resultRecords, uniqueNames, type RestField } from './bigquery-result-rows.js';

interface JobOutcome {
  job: Job;
  metadata: Record<string, any>;
  rows?: Record<string, unknown>[];
  schema?: ColumnDef[];
}

function plain(v: unknown): unknown {
  if (v && typeof v === 'object' && 'value' in (v as object) && Object.keys(v as object).length === 1) return (v as { value: unknown }).value;
  if (v && typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return v;
}

/**
 * One BigQuery "session": jobs run through the official client. Every job gets a deterministic id
 * (`strata_<invocation>_<n>_<hash>`), so a retried insert finds the job it already created instead of
 * running it twice; transient failures are retried with backoff and jitter, others become one-line errors.
 */
export class BigQueryConnection implements Connection {
  private readonly params: Record<string, string> = {};
  private sequence = 0;
  /** The query job this connection waits for, cancelled by `interrupt` (Ctrl-C). */
  private running?: Job;
  /** `job-label: true`: the labels of the current query comment, and that comment. */
  private commentLabels: { comment?: string; labels: Record<string, string> } = { labels: {} };
  /** A job being inserted, and whether Ctrl-C came meanwhile: it is cancelled as soon as it exists. */
  private inserting = false;
  private cancelWhenInserted = false;

  constructor(
    private readonly client: BigQuery,
    private readonly settings: BigQuerySettings,
    private readonly jobPrefix: string,
    /** The command's invocation, every query job's `dbt_invocation_id` label. */
    private readonly invocationId: string,
  ) {}

  /** Secrets travel as named query parameters (`@NAME`), never in SQL text. */
  setSessionSecret(name: string, value: string): void {
    this.params[name.replace(/[^A-Za-z0-9_]/g, '_')] = value;
  }

  /** dbt-bigquery's `job-label`: each query job is labelled from the comment (see `queryJobLabels`). */
  labelJobs(comment: string | undefined): void {
    if (comment === this.commentLabels.comment) return;
    this.commentLabels = { comment, labels: comment ? labelsFromComment(comment) : {} };
  }

  private nextJobId(kind: string, text: string): string {
    const n = ++this.sequence;
    return `${this.jobPrefix}_${kind}_${n}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  }

  private queryOptions(sql: string, dryRun: boolean): Query {
    const s = this.settings;
    const used = Object.keys(this.params).filter((n) => new RegExp(`@${n}\\b`).test(sql));
    return {
      query: sql,
      useLegacySql: false,
      ...(s.location ? { location: s.location } : {}),
      ...(dryRun ? { dryRun: true } : {}),
      ...(s.maximumBytesBilled !== undefined ? { maximumBytesBilled: String(s.maximumBytesBilled) } : {}),
      priority: s.priority === 'batch' ? 'BATCH' : 'INTERACTIVE',
      labels: queryJobLabels(this.commentLabels.labels, s.labels, this.invocationId),
      ...(s.jobTimeoutSeconds !== undefined ? { jobTimeoutMs: s.jobTimeoutSeconds * 1000 } : {}),
      ...(used.length ? { params: Object.fromEntries(used.map((n) => [n, this.params[n]!])) } : {}),
    };
  }

  /** Inserts a job under `jobId`, retrying transient failures; a 409 means an earlier attempt created it. */
  private async insertJob(jobId: string, create: () => Promise<Job>): Promise<Job> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await create();
      } catch (e) {
        const err = e as { code?: number };
        if (err.code === 409) {
          const job = this.client.job(jobId, { location: this.settings.location });
          await job.getMetadata();
          return job;
        }
        if (classify(e) !== 'transient' || attempt > 4) throw e;
        await sleepBackoff(attempt);
      }
    }
  }

  private async runQuery(sql: string, withRows: boolean): Promise<JobOutcome> {
    for (let attempt = 0; ; attempt++) {
      const jobId = this.nextJobId('query', sql);
      try {
        this.inserting = true;
        const job = await this.insertJob(jobId, async () => (await this.client.createQueryJob({ ...this.queryOptions(sql, false), jobId }))[0]).finally(() => (this.inserting = false));
        this.running = job;
        if (this.cancelWhenInserted) this.interrupt();
        // Unparsed: the client's parsing keys a row by field name, and a result may repeat a name (bigquery-result-rows.ts).
        const [raw, , response] = await job.getQueryResults({ autoPaginate: true, skipParsing: true, ...(withRows ? {} : { maxResults: 0 }) }).finally(() => (this.running = undefined));
        const [metadata] = await job.getMetadata();
        if (metadata.status?.errorResult) throw new BigQueryJobError(metadata.status.errorResult, sql, jobId);
        // A record's fields and a repeated mode kept: a contract compares whole types (STRUCT<…>, ARRAY<…>).
        const rest = uniqueNames((response as { schema?: { fields?: RestField[] } })?.schema?.fields ?? []);
        const rows = withRows ? await resultRecords(rest, raw) : undefined;
        return { job, metadata, rows, schema: rest.map(columnOf) };
      } catch (e) {
        const err = e instanceof BigQueryJobError ? e : BigQueryJobError.from(e, sql, jobId);
        if (err.kind !== 'transient' || attempt >= this.settings.jobRetries) throw err;
        await sleepBackoff(attempt + 1);
      }
    }
  }

  /** Ctrl-C: cancels the running job (jobs.cancel), as dbt-bigquery does; the job then ends with an error. */
  interrupt(): void {
    this.cancelWhenInserted = this.inserting;
    this.running?.cancel().catch(() => undefined);
  }

  async execute(sql: string): Promise<ExecuteResult> {
    const { metadata } = await this.runQuery(sql, false);
    const result = executeResult(metadata);
    const target = metadata.statistics?.query?.ddlTargetTable as { projectId: string; datasetId: string; tableId: string } | undefined;
    if (metadata.statistics?.query?.statementType !== 'CREATE_TABLE_AS_SELECT' || !target) return result;
    // As dbt-bigquery: a CTAS's rows are the new table's numRows (a count(*) would be refused under require_partition_filter).
    const [meta] = await this.table({ database: target.projectId, schema: target.datasetId, identifier: target.tableId }).getMetadata();
    const rows = meta.numRows === undefined ? undefined : Number(meta.numRows);
    return { ...result, rowsAffected: rows, response: { ...result.response, rows_affected: rows } };
  }

  async query(sql: string): Promise<QueryResult> {
    const { rows, schema, metadata } = await this.runQuery(sql, true);
    return {
      columns: schema ?? [],
      rows: (rows ?? []).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)]))),
      response: selectResponse(metadata, rows?.length ?? 0),
    };
  }

  async dryRun(sql: string): Promise<DryRunResult> {
    const [job] = await this.client.createQueryJob(this.queryOptions(sql, true)).catch((e: unknown) => {
      throw BigQueryJobError.from(e, sql, 'dry-run');
    });
    const stats = (job.metadata as { statistics?: { totalBytesProcessed?: string; query?: { referencedTables?: { projectId: string; datasetId: string; tableId: string }[] } } }).statistics;
    return {
      bytesProcessed: Number(stats?.totalBytesProcessed ?? 0),
      referencedTables: (stats?.query?.referencedTables ?? []).map((t) => ({ database: t.projectId, schema: t.datasetId, identifier: t.tableId })),
    };
  }

  private table(relation: Relation) {
    return this.client.dataset(relation.schema, { projectId: relation.database ?? this.settings.project }).table(relation.identifier);
  }

  async getRelation(relation: Relation): Promise<ExistingRelation | undefined> {
    try {
      const [meta] = await this.table(relation).getMetadata();
      return { ...relation, kind: kindOf(meta.type) };
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw BigQueryJobError.from(e, '', 'tables.get');
    }
  }

  async listRelations(schema: string, database?: string): Promise<ExistingRelation[]> {
    try {
      const [tables] = await this.client.dataset(schema, { projectId: database ?? this.settings.project }).getTables({ autoPaginate: true });
      return tables.map((t) => ({ database, schema, identifier: String(t.id), kind: kindOf((t.metadata as { type?: string }).type) }));
    } catch (e) {
      if ((e as { code?: number }).code === 404) return [];
      throw BigQueryJobError.from(e, '', 'tables.list');
    }
  }

  /** The relation's IAM grants from the region's INFORMATION_SCHEMA.OBJECT_PRIVILEGES, without the job's own user (as dbt-bigquery). */
  async getGrants(relation: Relation): Promise<Map<string, Set<string>>> {
    const q = (v: string): string => bigqueryDialect.quoteString(v);
    const region = `region-${(this.settings.location ?? 'US').toLowerCase()}`;
    const project = relation.database ?? this.settings.project;
    const { rows } = await this.query(
      `select privilege_type, grantee from ${bigqueryDialect.quoteIdentifier(project)}.${bigqueryDialect.quoteIdentifier(region)}.INFORMATION_SCHEMA.OBJECT_PRIVILEGES where object_schema = ${q(relation.schema)} and object_name = ${q(relation.identifier)} and split(grantee, ':')[offset(1)] != session_user()`,
    );
    const grants = new Map<string, Set<string>>();
    for (const r of rows) {
      const privilege = String(r.privilege_type);
      if (!grants.has(privilege)) grants.set(privilege, new Set());
      grants.get(privilege)!.add(String(r.grantee));
    }
    return grants;
  }

  async getColumns(relation: Relation): Promise<ColumnDef[]> {
    const [meta] = await this.table(relation).getMetadata();
    return ((meta.schema?.fields ?? []) as RestField[]).map(columnOf);
  }

  /** tables.get's partitioning and clustering (a table partitioned by ingestion time: on `_PARTITIONTIME`). */
  async tableLayout(relation: Relation): Promise<TableLayout | undefined> {
    const meta = await this.table(relation).getMetadata().then(([m]) => m as Record<string, any>, (e: unknown) => {
      if ((e as { code?: number }).code === 404) return undefined;
      throw BigQueryJobError.from(e, '', 'tables.get');
    });
    if (!meta) return undefined;
    const time = meta.timePartitioning as { type?: string; field?: string } | undefined;
    const range = meta.rangePartitioning as { field: string; range: Record<string, string> } | undefined;
    const partition = range
      ? { field: range.field, range: { start: Number(range.range.start), end: Number(range.range.end), interval: Number(range.range.interval) } }
      : time ? { field: time.field ?? '_PARTITIONTIME', granularity: String(time.type ?? 'DAY').toLowerCase() as 'day' } : undefined;
    return { ...(partition ? { partition } : {}), clusterBy: ((meta.clustering?.fields ?? []) as string[]).map(String) };
  }

  /** `docs generate`: tables.get read as dbt-bigquery's catalog (type, description, stats). */
  async describeRelation(relation: Relation): Promise<RelationDetails> {
    const [meta] = await this.table(relation).getMetadata().catch((e: unknown) => Promise.reject(BigQueryJobError.from(e, '', 'tables.get')));
    return bigqueryRelationDetails(meta);
  }

  /** Landing: new fields inside RECORD columns, through the table's schema (tables.patch): BigQuery's SQL cannot add them. */
  async widenRecords(relation: Relation, columns: ColumnDef[]): Promise<void> {
    const [meta] = await this.table(relation).getMetadata();
    const fields = ((meta.schema?.fields ?? []) as RestField[]).map((f) => {
      const col = columns.find((c) => c.name.toLowerCase() === f.name.toLowerCase());
      return col ? withFields(f, col) : f;
    });
    await this.table(relation).setMetadata({ schema: { fields } });
  }

  /**
   * dbt-bigquery's `grant_access_to`: the view as an access entry of the target dataset (datasets.get, then
   * datasets.patch with the entry added), once; the read-modify-write of a dataset runs one at a time, as
   * dbt-bigquery's lock does, so two views authorized at once both stay.
   */
  async authorizeView(view: Relation, target: { project?: string; dataset: string }): Promise<boolean> {
    const run = datasetLock.then(async () => {
      const dataset = this.client.dataset(target.dataset, { projectId: target.project ?? this.settings.project });
      const [meta] = await dataset.getMetadata().catch((e: unknown) => Promise.reject(BigQueryJobError.from(e, '', 'datasets.get')));
      const entry = { projectId: view.database ?? this.settings.project, datasetId: view.schema, tableId: view.identifier };
      const access = (meta.access ?? []) as { view?: typeof entry }[];
      if (access.some((a) => a.view && a.view.projectId === entry.projectId && a.view.datasetId === entry.datasetId && a.view.tableId === entry.tableId)) return false;
      await dataset.setMetadata({ access: [...access, { view: entry }] }).catch((e: unknown) => Promise.reject(BigQueryJobError.from(e, '', 'datasets.patch')));
      return true;
    });
    datasetLock = run.catch(() => undefined);
    return run;
  }

  /** BigQuery DDL cannot roll back: statements run one by one; materializations rely on `create or replace` instead. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /**
   * Seeds: a load job (CSV, header skipped, WRITE_TRUNCATE) with a deterministic job id and dbt's inferred column
   * types. Without labels, as dbt-bigquery's load jobs: the client's upload puts every option under
   * `configuration.load`, where BigQuery has no `labels` (a job's labels are `configuration.labels`).
   */
  async loadCsv(relation: Relation, csvPath: string, options: { columnTypes?: Record<string, string>; delimiter?: string }): Promise<ExecuteResult> {
    const schema = { fields: seedSchema(readFileSync(csvPath, 'utf8'), options) };
    const jobId = this.nextJobId('load', `${relation.schema}.${relation.identifier}:${csvPath}`);
    const [job] = await this.table(relation)
      .createLoadJob(csvPath, {
        jobId,
        sourceFormat: 'CSV',
        skipLeadingRows: 1,
        ...(options.delimiter ? { fieldDelimiter: options.delimiter } : {}),
        writeDisposition: 'WRITE_TRUNCATE',
        schema,
        ...(this.settings.location ? { location: this.settings.location } : {}),
      })
      .catch((e: unknown) => {
        throw BigQueryJobError.from(e, '', jobId);
      });
    const [metadata] = await job.getMetadata();
    if (metadata.status?.errorResult) throw new BigQueryJobError(metadata.status.errorResult, '', jobId);
    const rows = Number(metadata.statistics?.load?.outputRows ?? 0);
    return { rowsAffected: rows, jobId, response: { code: 'LOAD', rows_affected: rows, job_id: jobId, project_id: this.settings.project, location: metadata.jobReference?.location } };
  }

  /** Landing: a load job from GCS into `relation` (WRITE_TRUNCATE), Parquet/CSV/JSON, hive partitions as columns. */
  async loadFiles(relation: Relation, uris: string[], o: { format: string; jobId: string; hivePrefix?: string; options?: Record<string, unknown> }): Promise<{ rows: number; columns: ColumnDef[] }> {
    const format = bigquerySourceFormat(o.format);
    const configuration = {
      load: {
        sourceUris: uris,
        destinationTable: { projectId: relation.database ?? this.settings.project, datasetId: relation.schema, tableId: relation.identifier },
        sourceFormat: format,
        writeDisposition: 'WRITE_TRUNCATE',
        createDisposition: 'CREATE_IF_NEEDED',
        ...(format === 'CSV' ? { skipLeadingRows: 1, autodetect: true } : format === 'NEWLINE_DELIMITED_JSON' ? { autodetect: true } : {}),
        ...(o.hivePrefix ? { hivePartitioningOptions: { mode: 'AUTO', sourceUriPrefix: o.hivePrefix } } : {}),
        ...loadJobOptions(o.options ?? {}),
      },
      ...(Object.keys(this.settings.labels).length ? { labels: this.settings.labels } : {}),
    };
    const job = await this.insertJob(o.jobId, async () => (await this.client.createJob({ configuration, jobId: o.jobId, ...(this.settings.location ? { location: this.settings.location } : {}) } as never))[0]);
    const [metadata] = await job.promise().then(() => job.getMetadata()).catch((e: unknown) => {
      throw BigQueryJobError.from(e, '', o.jobId);
    });
    if (metadata.status?.errorResult) throw new BigQueryJobError(metadata.status.errorResult, '', o.jobId);
    return { rows: Number(metadata.statistics?.load?.outputRows ?? 0), columns: await this.getColumns(relation) };
  }

  async close(): Promise<void> {}
}

/** `authorizeView` reads and rewrites a dataset's access list: one at a time in the process. */
let datasetLock: Promise<unknown> = Promise.resolve();


/** A REST schema field as a column: a RECORD's fields and a REPEATED mode kept (landing compares them). */
function columnOf(f: RestField): ColumnDef {
  const col: ColumnDef = { name: f.name, dataType: STANDARD_TYPES[f.type] ?? f.type, nullable: f.mode !== 'REQUIRED', description: f.description };
  if (f.fields?.length) col.fields = f.fields.map(columnOf);
  if (f.mode === 'REPEATED') col.repeated = true;
  return col;
}

/** A column as a REST schema field (new fields are nullable, or repeated). */
function restOf(c: ColumnDef): RestField {
  return { name: c.name, type: c.fields ? 'RECORD' : c.dataType, mode: c.repeated ? 'REPEATED' : 'NULLABLE', ...(c.fields ? { fields: c.fields.map(restOf) } : {}) };
}

/** A REST field with the column's fields it lacks appended (at any depth); its own fields kept as they are. */
function withFields(f: RestField, c: ColumnDef): RestField {
  if (!f.fields || !c.fields) return f;
  const kept = f.fields.map((x) => {
    const sub = c.fields!.find((y) => y.name.toLowerCase() === x.name.toLowerCase());
    return sub ? withFields(x, sub) : x;
  });
  const added = c.fields.filter((y) => !f.fields!.some((x) => x.name.toLowerCase() === y.name.toLowerCase())).map(restOf);
  return { ...f, fields: [...kept, ...added] };
}

function kindOf(type: string | undefined): RelationKind {
  return type === 'VIEW' || type === 'MATERIALIZED_VIEW' ? 'view' : type === 'EXTERNAL' ? 'external' : 'table';
}

function executeResult(metadata: Record<string, any>): ExecuteResult {
  const q = metadata.statistics?.query ?? {};
  const processed = Number(q.totalBytesProcessed ?? metadata.statistics?.totalBytesProcessed ?? 0);
  const billed = Number(q.totalBytesBilled ?? 0);
  const rows = q.numDmlAffectedRows === undefined ? undefined : Number(q.numDmlAffectedRows);
  const jobId = metadata.jobReference?.jobId as string | undefined;
  return {
    rowsAffected: rows,
    bytesProcessed: processed,
    bytesBilled: billed,
    jobId,
    response: { code: q.statementType ?? 'OK', rows_affected: rows, bytes_processed: processed, bytes_billed: billed, job_id: jobId, location: metadata.jobReference?.location, project_id: metadata.jobReference?.projectId, slot_ms: Number(metadata.statistics?.totalSlotMs ?? 0) },
  };
}
