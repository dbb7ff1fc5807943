/**
 * A loopback HTTP server speaking the subset of BigQuery's REST API (v2) that Strata's connection uses,
 * for driving the real @google-cloud/bigquery client in tests: jobs.insert (query, dry run, multipart
 * load upload), jobs.get, jobs.getQueryResults, datasets.get, tables.get/list. Every query is parsed with
 * sql-parser-cst's BigQuery dialect — a statement that does not parse fails its job like BigQuery would —
 * and its DDL is applied to an in-memory catalog so later table lookups see it. It records every request
 * and can inject 5xx answers, including "the job was created but the answer was lost".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'sql-parser-cst';

export interface FakeTable {
  type: 'TABLE' | 'VIEW' | 'EXTERNAL';
  fields: { name: string; type: string; mode?: string }[];
  numRows: number;
  numBytes: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  pathname: string;
  path: string;
  body?: any;
  authorization?: string;
}

export interface FakeBigQuery {
  endpoint: string;
  requests: RecordedRequest[];
  /** Job resources in insertion order (dry runs excluded). */
  jobs: any[];
  tables: Map<string, FakeTable>;
  datasets: Set<string>;
  /** Answer the next n jobs.insert calls with an error (default 503 backendError). */
  failInserts(n: number, status?: number, reason?: string, message?: string): void;
  /** Create the next n jobs, then answer 503 as if the response was lost. */
  loseInsertResponses(n: number): void;
  /** Rows for a SELECT; default: `count(*) as n` gets the table's numRows, others no rows. */
  answer?: (sql: string) => { fields: { name: string; type: string }[]; rows: Record<string, unknown>[] } | undefined;
  /**
   * Columns of tables created from `select *` (the server is no SQL engine and cannot expand a star):
   * table id → column names.
   */
  columnsOf?: (tableId: string) => string[] | undefined;
  close(): Promise<void>;
}

const key = (p: string, d: string, t: string): string => `${p}.${d}.${t}`;

/** `\`p\`.\`d\`.\`t\``, `\`p.d.t\``: the tables a statement names. */
function referencedTables(sql: string): string[] {
  const out = new Set<string>();
  for (const m of sql.matchAll(/`([^`]+)`\.`([^`]+)`\.`([^`]+)`/g)) out.add(key(m[1]!, m[2]!, m[3]!));
  for (const m of sql.matchAll(/`([^`.]+)\.([^`.]+)\.([^`.]+)`/g)) out.add(key(m[1]!, m[2]!, m[3]!));
  return [...out];
}

function nameOf(expr: any, project: string): string | undefined {
  const parts: string[] = [];
  const walk = (e: any): void => {
    if (!e) return;
    if (e.type === 'member_expr') {
      walk(e.object);
      walk(e.property);
    } else if (e.type === 'identifier') parts.push(...String(e.name).split('.'));
  };
  walk(expr);
  if (parts.length === 2) parts.unshift(project);
  return parts.length === 3 ? parts.join('.') : undefined;
}

/** Column names of a top-level `select a, b as c …` (for the catalog); `select *` gives none. */
function selectColumns(stmt: any, tableColumns: (expr: any) => string[] | undefined = () => undefined): string[] {
  const select = stmt?.clauses?.find((c: any) => c.type === 'select_clause');
  const from = stmt?.clauses?.find((c: any) => c.type === 'from_clause')?.expr;
  // `*` is the columns of what it selects from: a subquery (read the same way) or a table the catalog knows.
  const star = (): string[] => {
    const source = from?.type === 'alias' ? from.expr : from;
    if (source?.type === 'paren_expr' && source.expr?.type === 'select_stmt') return selectColumns(source.expr, tableColumns);
    return tableColumns(source) ?? [];
  };
  return (select?.columns?.items ?? [])
    .flatMap((c: any) => (c.type === 'all_columns' ? star() : [c.type === 'alias' ? c.alias?.name : c.type === 'identifier' ? c.name : c.type === 'member_expr' ? c.property?.name : undefined]))
    .filter((n: unknown): n is string => typeof n === 'string');
}

function multipart(body: Buffer, contentType: string): { meta: any; data: Buffer } {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  const parts = body.toString('latin1').split(`--${boundary}`).slice(1, -1);
  const payload = (p: string): string => p.slice(p.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '');
  return { meta: JSON.parse(payload(parts[0]!)), data: Buffer.from(payload(parts[1]!), 'latin1') };
}

/** Reads a Parquet, CSV or JSON file's columns and row count with DuckDB, as BigQuery field types. */
async function describeFile(bytes: Buffer, format: string): Promise<{ fields: { name: string; type: string; mode: string }[]; rows: number }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'fake-bq-load-'));
  const file = join(dir, 'f');
  writeFileSync(file, bytes);
  const db = await DuckDBInstance.create(':memory:', { autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
  const c = await db.connect();
  try {
    const reader = format === 'CSV' ? `read_csv('${file}', header = true)` : format === 'NEWLINE_DELIMITED_JSON' ? `read_json_auto('${file}')` : `read_parquet('${file}')`;
    const cols = (await (await c.run(`describe select * from ${reader}`)).getRowObjects()) as { column_name: string; column_type: string }[];
    const n = Number(((await (await c.run(`select count(*) as n from ${reader}`)).getRowObjects())[0] as { n: bigint }).n);
    const type = (t: string): string => (/INT/.test(t) ? 'INTEGER' : /DOUBLE|FLOAT|DECIMAL/.test(t) ? 'FLOAT' : t === 'BOOLEAN' ? 'BOOLEAN' : t === 'DATE' ? 'DATE' : /TIMESTAMP/.test(t) ? 'TIMESTAMP' : 'STRING');
    return { fields: cols.map((col) => ({ name: col.column_name, type: type(col.column_type), mode: 'NULLABLE' })), rows: n };
  } finally {
    c.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startFakeBigQuery(options: { gcs?: { get(bucket: string, name: string): Buffer | undefined } } = {}): Promise<FakeBigQuery> {
  const requests: RecordedRequest[] = [];
  const jobs: any[] = [];
  const jobById = new Map<string, any>();
  const tables = new Map<string, FakeTable>();
  const datasets = new Set<string>();
  let failing = 0;
  let failure = { status: 503, reason: 'backendError', message: 'Backend error (injected by the test server)' };
  let losing = 0;
  const api: FakeBigQuery = {} as FakeBigQuery;

  const send = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const apiError = (res: http.ServerResponse, status: number, reason: string, message: string): void =>
    send(res, status, { error: { code: status, message, errors: [{ reason, message, domain: 'global' }], status: reason } });

  /** Runs a query's effects on the catalog; returns statistics, or an errorResult. */
  const runQuery = (project: string, sql: string, dryRun: boolean): { error?: { reason: string; message: string; status: number }; stats?: any; result?: { fields: any[]; rows: any[] } } => {
    let cst;
    try {
      cst = parse(sql, { dialect: 'bigquery', paramTypes: ['@name'], includeRange: true });
    } catch (e) {
      const m = /--> [^:]*:(\d+):(\d+)/.exec((e as Error).message);
      const first = (e as Error).message.split('\n')[0]!.replace(/^Syntax Error: /, '');
      return { error: { reason: 'invalidQuery', status: 400, message: `Syntax error: ${first}${m ? ` at [${m[1]}:${m[2]}]` : ''}` } };
    }
    const refs = referencedTables(sql);
    const created = new Set<string>();
    for (const s of cst.statements as any[]) {
      if (s.type === 'create_table_stmt' || s.type === 'create_view_stmt') {
        const n = nameOf(s.name, project);
        if (n) created.add(n);
      }
    }
    const missing = refs.filter((r) => !tables.has(r) && !created.has(r) && !/__strata_tmp$/.test(r));
    if (dryRun) {
      if (missing.length) {
        const [p, d, t] = missing[0]!.split('.');
        return { error: { reason: 'notFound', status: 404, message: `Not found: Table ${p}:${d}.${t} was not found in location EU` } };
      }
      const bytes = refs.reduce((n, r) => n + (tables.get(r)?.numBytes ?? 0), 0);
      const statementType = String((cst.statements[0] as any)?.type ?? '').replace(/_stmt$/, '').toUpperCase();
      return { stats: { totalBytesProcessed: String(bytes), query: { totalBytesProcessed: String(bytes), statementType, referencedTables: refs.map((r) => ({ projectId: r.split('.')[0], datasetId: r.split('.')[1], tableId: r.split('.')[2] })) } } };
    }
    const knownColumns = (expr: any): string[] | undefined => {
      const n = expr ? nameOf(expr, project) : undefined;
      return n ? tables.get(n)?.fields.map((f) => f.name) : undefined;
    };
    let statementType = 'SCRIPT';
    let dml: number | undefined;
    let result: { fields: any[]; rows: any[] } | undefined;
    for (const s of cst.statements as any[]) {
      statementType = String(s.type).replace(/_stmt$/, '').toUpperCase();
      if (s.type === 'create_schema_stmt') {
        const n = s.name?.type === 'member_expr' ? `${s.name.object.name}.${s.name.property.name}` : `${project}.${s.name?.name}`;
        datasets.add(n);
      } else if (s.type === 'create_table_stmt' || s.type === 'create_view_stmt') {
        const n = nameOf(s.name, project);
        if (!n) continue;
        let inner = s.clauses?.find((c: any) => c.type === 'as_clause')?.expr;
        // `as (select …)` parses as a select whose only clause is the parenthesised select.
        while (inner && (inner.type === 'paren_expr' || (inner.type === 'select_stmt' && inner.clauses?.length === 1 && inner.clauses[0].type === 'paren_expr'))) inner = inner.type === 'paren_expr' ? inner.expr : inner.clauses[0].expr;
        let cols = [...(api.columnsOf?.(n.split('.')[2]!) ?? []), ...selectColumns(inner, knownColumns)];
        // `select * from <one known table>` (the demo's bronze views): the star is that table's columns.
        const body = sql.slice(inner?.range?.[0] ?? 0, inner?.range?.[1] ?? sql.length);
        const from = referencedTables(body);
        if (!cols.length && /^\s*select\s+\*\s+from\s/i.test(body) && from.length === 1 && tables.has(from[0]!)) cols = tables.get(from[0]!)!.fields.map((f) => f.name);
        tables.set(n, { type: s.type === 'create_view_stmt' ? 'VIEW' : 'TABLE', fields: cols.map((c) => ({ name: c, type: 'STRING', mode: 'NULLABLE' })), numRows: 0, numBytes: 0 });
      } else if (s.type === 'drop_table_stmt' || s.type === 'drop_view_stmt') {
        for (const t of s.tables?.items ?? []) {
          const n = nameOf(t, project);
          if (n) tables.delete(n);
        }
      } else if (s.type === 'alter_table_stmt') {
        const n = nameOf(s.table, project);
        for (const a of s.actions?.items ?? []) {
          if (a.type === 'alter_action_rename' && n && tables.has(n)) {
            const [p, d] = n.split('.');
            tables.set(key(p!, d!, a.newName.name), tables.get(n)!);
            tables.delete(n);
          }
          if (a.type === 'alter_action_add_column' && n && tables.has(n)) tables.get(n)!.fields.push({ name: a.column?.name?.name, type: 'STRING', mode: 'NULLABLE' });
        }
      } else if (s.type === 'insert_stmt') {
        // Row accounting, roughly: VALUES count their tuples, INSERT … SELECT FROM one table copies its row count.
        const ins = s.clauses?.[0];
        const targetExpr = ins?.table?.type === 'table_with_columns' ? ins.table.table : ins?.table;
        const target = nameOf(targetExpr, project);
        const text = sql.slice(s.range?.[0] ?? 0, s.range?.[1] ?? sql.length);
        const values = s.clauses?.find((c: any) => c.type === 'values_clause');
        const from = referencedTables(text).filter((r) => r !== target);
        const n = values ? (values.values?.items?.length ?? 0) : from.length === 1 ? (tables.get(from[0]!)?.numRows ?? 0) : 0;
        if (target && tables.has(target)) tables.get(target)!.numRows += n;
        dml = (dml ?? 0) + n;
      } else if (s.type === 'delete_stmt') {
        const text = sql.slice(s.range?.[0] ?? 0, s.range?.[1] ?? sql.length);
        const target = referencedTables(text)[0];
        if (target && /where true\s*$/i.test(text) && tables.has(target)) tables.get(target)!.numRows = 0;
        dml = dml ?? 0;
      } else if (['merge_stmt', 'update_stmt'].includes(s.type)) {
        dml = dml ?? 0;
      } else if (s.type === 'select_stmt') {
        const custom = api.answer?.(sql);
        if (custom) result = { fields: custom.fields, rows: custom.rows };
        else if (/count\(\*\) as n/i.test(sql)) {
          const t = refs.map((r) => tables.get(r)).find(Boolean);
          result = { fields: [{ name: 'n', type: 'INTEGER' }], rows: [{ n: t?.numRows ?? 0 }] };
        } else result = { fields: selectColumns(s, knownColumns).map((c) => ({ name: c, type: 'STRING' })), rows: [] };
      }
    }
    const bytes = refs.reduce((n, r) => n + (tables.get(r)?.numBytes ?? 0), 0);
    return { stats: { totalBytesProcessed: String(bytes), query: { totalBytesProcessed: String(bytes), totalBytesBilled: String(Math.max(bytes, bytes ? 10 * 1024 * 1024 : 0)), statementType, ...(dml !== undefined ? { numDmlAffectedRows: String(dml) } : {}) } }, result };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks);
      let body: any;
      const ctype = String(req.headers['content-type'] ?? '');
      if (ctype.includes('json') && raw.length) body = JSON.parse(raw.toString('utf8'));
      requests.push({ method: req.method ?? 'GET', pathname: url.pathname, path: url.pathname + url.search, body, authorization: req.headers.authorization });
      let m: RegExpExecArray | null;
      const path = url.pathname.replace(/^\/bigquery\/v2/, '');

      if ((m = /^\/projects\/([^/]+)\/jobs$/.exec(path)) && req.method === 'POST') {
        if (failing > 0) {
          failing--;
          return apiError(res, failure.status, failure.reason, failure.message);
        }
        const project = decodeURIComponent(m[1]!);
        const ref = body.jobReference ?? {};
        const cfg = body.configuration ?? {};
        const sql: string = cfg.query?.query ?? '';
        if (cfg.dryRun) {
          const out = runQuery(project, sql, true);
          if (out.error) return apiError(res, out.error.status, out.error.reason, out.error.message);
          return send(res, 200, { kind: 'bigquery#job', jobReference: { projectId: project, location: ref.location }, configuration: cfg, status: { state: 'DONE' }, statistics: out.stats });
        }
        if (jobById.has(ref.jobId)) return apiError(res, 409, 'duplicate', `Already Exists: Job ${project}:${ref.location ?? 'US'}.${ref.jobId}`);
        if (cfg.load?.sourceUris) {
          const load = cfg.load;
          let fields: { name: string; type: string; mode: string }[] = [];
          let rows = 0;
          let error: { reason: string; message: string } | undefined;
          for (const uri of load.sourceUris as string[]) {
            const m2 = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
            const bytes = m2 ? options.gcs?.get(m2[1]!, m2[2]!) : undefined;
            if (!bytes) {
              error = { reason: 'notFound', message: `Not found: URI ${uri}` };
              break;
            }
            try {
              const d = await describeFile(bytes, load.sourceFormat);
              fields = d.fields;
              rows += d.rows;
              const prefix = load.hivePartitioningOptions?.sourceUriPrefix as string | undefined;
              if (prefix && uri.startsWith(prefix)) for (const seg of uri.slice(prefix.length).split('/').slice(0, -1)) if (seg.includes('=')) fields.push({ name: seg.split('=')[0]!, type: 'STRING', mode: 'NULLABLE' });
            } catch (e) {
              error = { reason: 'invalid', message: `Error while reading data, error message: ${(e as Error).message.split('\n')[0]} File: ${uri}` };
              break;
            }
          }
          const t = load.destinationTable;
          if (!error) tables.set(key(t.projectId, t.datasetId, t.tableId), { type: 'TABLE', fields, numRows: rows, numBytes: rows * 10 });
          const job = { kind: 'bigquery#job', id: `${project}:${ref.location ?? 'US'}.${ref.jobId}`, jobReference: { projectId: project, jobId: ref.jobId, location: ref.location ?? 'US' }, configuration: cfg, status: error ? { state: 'DONE', errorResult: error, errors: [error] } : { state: 'DONE' }, statistics: { load: { outputRows: String(rows) } } };
          jobs.push(job);
          jobById.set(ref.jobId, job);
          return send(res, 200, job);
        }
        const out = runQuery(project, sql, false);
        const job: any = {
          kind: 'bigquery#job',
          id: `${project}:${ref.location ?? 'US'}.${ref.jobId}`,
          jobReference: { projectId: project, jobId: ref.jobId, location: ref.location ?? 'US' },
          configuration: cfg,
          status: out.error ? { state: 'DONE', errorResult: { reason: out.error.reason, message: out.error.message, location: 'query' }, errors: [{ reason: out.error.reason, message: out.error.message }] } : { state: 'DONE' },
          statistics: { creationTime: String(Date.now()), startTime: String(Date.now()), endTime: String(Date.now()), totalSlotMs: '42', ...(out.stats ?? {}) },
          result: out.result,
        };
        jobs.push(job);
        jobById.set(ref.jobId, job);
        if (losing > 0) {
          losing--;
          return apiError(res, 503, 'backendError', 'Backend error after the job was created (injected)');
        }
        const { result: _r, ...visible } = job;
        return send(res, 200, visible);
      }
      if ((m = /^\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        const job = jobById.get(decodeURIComponent(m[2]!));
        if (!job) return apiError(res, 404, 'notFound', `Not found: Job ${m[2]}`);
        const { result: _r, ...visible } = job;
        return send(res, 200, visible);
      }
      if ((m = /^\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        const job = jobById.get(decodeURIComponent(m[2]!));
        if (!job) return apiError(res, 404, 'notFound', `Not found: Job ${m[2]}`);
        if (job.status.errorResult) return apiError(res, 400, job.status.errorResult.reason, job.status.errorResult.message);
        const r = job.result ?? { fields: [], rows: [] };
        const wantRows = url.searchParams.get('maxResults') !== '0';
        return send(res, 200, {
          kind: 'bigquery#getQueryResultsResponse',
          jobReference: job.jobReference,
          jobComplete: true,
          schema: { fields: r.fields },
          totalRows: String(r.rows.length),
          ...(wantRows ? { rows: r.rows.map((row: Record<string, unknown>) => ({ f: r.fields.map((f: { name: string }) => ({ v: row[f.name] === null || row[f.name] === undefined ? null : String(row[f.name]) })) })) } : {}),
          ...(job.statistics.query?.numDmlAffectedRows ? { numDmlAffectedRows: job.statistics.query.numDmlAffectedRows } : {}),
        });
      }
      if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        const [p, d, t] = [m[1]!, m[2]!, m[3]!].map(decodeURIComponent);
        const table = tables.get(key(p!, d!, t!));
        if (!table) return apiError(res, 404, 'notFound', `Not found: Table ${p}:${d}.${t}`);
        return send(res, 200, { kind: 'bigquery#table', id: `${p}:${d}.${t}`, tableReference: { projectId: p, datasetId: d, tableId: t }, type: table.type, schema: { fields: table.fields }, numRows: String(table.numRows), numBytes: String(table.numBytes) });
      }
      if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables$/.exec(path)) && req.method === 'GET') {
        const [p, d] = [m[1]!, m[2]!].map(decodeURIComponent);
        if (!datasets.has(`${p}.${d}`) && ![...tables.keys()].some((k) => k.startsWith(`${p}.${d}.`))) return apiError(res, 404, 'notFound', `Not found: Dataset ${p}:${d}`);
        const list = [...tables.entries()].filter(([k]) => k.startsWith(`${p}.${d}.`)).map(([k, v]) => ({ kind: 'bigquery#table', id: `${p}:${d}.${k.split('.')[2]}`, tableReference: { projectId: p, datasetId: d, tableId: k.split('.')[2] }, type: v.type }));
        return send(res, 200, { kind: 'bigquery#tableList', tables: list, totalItems: list.length });
      }
      if ((m = /^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.exec(url.pathname)) && req.method === 'POST') {
        const project = decodeURIComponent(m[1]!);
        const { meta, data } = multipart(raw, ctype);
        const ref = meta.jobReference ?? {};
        if (jobById.has(ref.jobId)) return apiError(res, 409, 'duplicate', `Already Exists: Job ${project}:${ref.location ?? 'US'}.${ref.jobId}`);
        const load = meta.configuration.load;
        const lines = data.toString('utf8').split(/\r?\n/).filter((l) => l.length);
        const header = (lines[0] ?? '').split(load.fieldDelimiter ?? ',');
        const t = load.destinationTable;
        const fields = load.schema?.fields ?? header.map((h: string) => ({ name: h.replace(/^"|"$/g, ''), type: 'STRING', mode: 'NULLABLE' }));
        const rows = Math.max(0, lines.length - (load.skipLeadingRows ?? 0));
        tables.set(key(t.projectId, t.datasetId, t.tableId), { type: 'TABLE', fields, numRows: rows, numBytes: data.length });
        const job = { kind: 'bigquery#job', id: `${project}:${ref.location ?? 'US'}.${ref.jobId}`, jobReference: { projectId: project, jobId: ref.jobId, location: ref.location ?? 'US' }, configuration: meta.configuration, status: { state: 'DONE' }, statistics: { load: { outputRows: String(rows), inputFileBytes: String(data.length) } } };
        jobs.push(job);
        jobById.set(ref.jobId, job);
        return send(res, 200, job);
      }
      if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)$/.exec(path)) && req.method === 'GET') {
        const n = `${decodeURIComponent(m[1]!)}.${decodeURIComponent(m[2]!)}`;
        if (!datasets.has(n)) return apiError(res, 404, 'notFound', `Not found: Dataset ${n}`);
        return send(res, 200, { kind: 'bigquery#dataset', datasetReference: { projectId: m[1], datasetId: m[2] } });
      }
      apiError(res, 501, 'notImplemented', `the test BigQuery server does not implement ${req.method} ${url.pathname}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  Object.assign(api, {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    jobs,
    tables,
    datasets,
    failInserts: (n: number, status = 503, reason = 'backendError', message = 'Backend error (injected by the test server)') => {
      failing = n;
      failure = { status, reason, message };
    },
    loseInsertResponses: (n: number) => (losing = n),
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
  return api;
}
