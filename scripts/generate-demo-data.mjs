#!/usr/bin/env node
// The demo's data, deterministic (seeded PRNG): the reference seed (complaint categories) as CSV, and the five
// sources the channels drop into object storage as Parquet files under landing/ (complaints partitioned by
// month, hive style). Rerunning reproduces the same rows.
//
//   node scripts/generate-demo-data.mjs                      # writes seeds/ and landing/ in this repository
//   node scripts/generate-demo-data.mjs --out DIR            # landing files under DIR instead
//   node scripts/generate-demo-data.mjs --s3 s3://bucket/prefix --endpoint http://127.0.0.1:4569
//                                                            # uploads them to an S3-compatible server
//                                                            # (credentials from the AWS environment variables)
import { writeFileSync, mkdirSync, mkdtempSync, rmSync, readdirSync, statSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { out: { type: 'string' }, s3: { type: 'string' }, endpoint: { type: 'string' }, region: { type: 'string' }, seeds: { type: 'boolean', default: true } } });
let state = 20260101;
const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
const pad = (n, w = 2) => String(n).padStart(w, '0');
const esc = (v) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const csvText = (header, rows) => [header.join(','), ...rows.map((r) => r.map(esc).join(','))].join('\n') + '\n';
const tables = {};
const table = (name, header, rows) => (tables[name] = { header, rows });

const firsts = ['Amira', 'Bastian', 'Chloe', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kemal', 'Lucia', 'Mateo', 'Nora', 'Oskar', 'Priya', 'Rafael', 'Sofia', 'Tomas', 'Yara'];
const lasts = ['Almeida', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat', 'Ivanova', 'Jansen', 'Kowalski', 'Larsen', 'Moreau', 'Novak', 'Oliveira', 'Petrov', 'Rossi', 'Schmidt', 'Torres', 'Weber'];
const plans = ['prepaid', 'postpaid_basic', 'postpaid_plus', 'business'];
const regions = ['north', 'south', 'east', 'west', 'central'];

const customers = [];
for (let i = 1; i <= 200; i++) {
  const f = pick(firsts), l = pick(lasts);
  const signup = `20${pick(['21', '22', '23', '24'])}-${pad(int(1, 12))}-${pad(int(1, 28))}`;
  customers.push([i, `${f} ${l}`, `${f}.${l}${i}@example.net`.toLowerCase(), `+31 6 ${int(1000, 9999)} ${int(1000, 9999)}`, pick(plans), pick(regions), signup]);
}
table('customers', ['customer_id', 'full_name', 'email', 'phone', 'plan', 'region', 'signup_date'], customers);

const teams = ['billing', 'network', 'retention', 'devices'];
const agents = [];
for (let i = 1; i <= 20; i++) agents.push([`A${pad(i)}`, `${pick(firsts)} ${pick(lasts)}`, teams[i % 4], `2020-${pad(int(1, 12))}-${pad(int(1, 28))}`]);
table('agents', ['agent_id', 'agent_name', 'team', 'hired_on'], agents);

const categories = [['BILL', 'Billing dispute', 48], ['NET', 'Network outage', 24], ['SPD', 'Slow data speed', 72], ['DEV', 'Device fault', 96], ['PORT', 'Number porting', 48], ['CONT', 'Contract terms', 120]];
if (args.seeds && !args.out && !args.s3) writeFileSync(join(root, 'seeds', 'raw_complaint_categories.csv'), csvText(['category_code', 'category_name', 'sla_hours'], categories));

const statuses = ['open', 'in_progress', 'resolved', 'closed'];
const messy = (s) => pick([s, s.toUpperCase(), ` ${s}`, s.replace('_', ' '), `${s[0].toUpperCase()}${s.slice(1)}`]);
const at = (day, hour, minute) => new Date(Date.UTC(2026, 0, 1 + day, hour, minute));
const iso = (d) => d.toISOString().slice(0, 19).replace('T', ' ');
const resolution = (opened, status) => (status === 'resolved' || status === 'closed' ? new Date(opened.getTime() + int(1, 160) * 3600e3) : null);
const customerId = () => (rand() < 0.015 ? 9999 : int(1, 200));
const agentId = () => (rand() < 0.01 ? 'A99' : `A${pad(int(1, 20))}`);

const web = [];
for (let i = 1; i <= 420; i++) {
  const opened = at(int(0, 60), int(0, 23), int(0, 59));
  const st = pick(statuses);
  const row = [`W-${pad(i, 5)}`, customerId(), iso(opened), pick(categories)[0], messy(st), `Web complaint ${i}`, agentId(), iso(resolution(opened, st) ?? opened) === iso(opened) ? '' : iso(resolution(opened, st))];
  web.push(row);
  if (rand() < 0.04) web.push([...row]); // re-sent by the web form
}
table('complaints_web', ['ticket_id', 'customer_id', 'submitted_at', 'category', 'status', 'description', 'agent_id', 'resolved_at'], web);

const calls = [];
for (let i = 1; i <= 380; i++) {
  const opened = at(int(0, 60), int(7, 21), int(0, 59));
  const st = pick(statuses);
  const res = resolution(opened, st);
  const dmy = (d) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  calls.push([`CC${100000 + i}`, customerId(), dmy(opened), pick(categories)[0].toLowerCase(), messy(st), agentId(), res ? dmy(res) : '']);
}
table('complaints_call_center', ['call_ref', 'cust_no', 'call_start', 'reason_code', 'outcome', 'handled_by', 'closed_on'], calls);

const emails = [];
for (let i = 1; i <= 260; i++) {
  const opened = at(int(0, 60), int(0, 23), int(0, 59));
  const st = pick(statuses);
  const res = resolution(opened, st);
  const updated = res ?? new Date(opened.getTime() + int(1, 48) * 3600e3);
  emails.push([`<msg-${i}@mail.example.net>`, customerId(), Math.floor(opened.getTime() / 1000), pick(categories)[0], messy(st), agentId(), res ? Math.floor(res.getTime() / 1000) : '', iso(updated)]);
}
table('complaints_email', ['message_id', 'from_customer', 'received_epoch', 'topic', 'state', 'assignee', 'resolved_epoch', 'updated_at'], emails);

// Typed as the channels' systems export them; `month` (complaints only) becomes a hive partition folder.
const typed = {
  customers: { select: 'cast(customer_id as integer) as customer_id, full_name, email, phone, plan, region, cast(signup_date as date) as signup_date', month: null },
  agents: { select: 'agent_id, agent_name, team, cast(hired_on as date) as hired_on', month: null },
  complaints_web: { select: 'ticket_id, cast(customer_id as integer) as customer_id, cast(submitted_at as timestamp) as submitted_at, category, status, description, agent_id, cast(nullif(resolved_at, \'\') as timestamp) as resolved_at', month: "strftime(cast(submitted_at as timestamp), '%Y-%m')" },
  // The call centre's legacy system exports day-first text timestamps; silver parses them.
  complaints_call_center: { select: 'call_ref, cast(cust_no as integer) as cust_no, call_start, reason_code, outcome, handled_by, nullif(closed_on, \'\') as closed_on', month: "strftime(strptime(call_start, '%d/%m/%Y %H:%M'), '%Y-%m')" },
  complaints_email: { select: 'message_id, cast(from_customer as integer) as from_customer, cast(received_epoch as bigint) as received_epoch, topic, state, assignee, cast(nullif(resolved_epoch, \'\') as bigint) as resolved_epoch, cast(updated_at as timestamp) as updated_at', month: 'strftime(make_timestamp(cast(received_epoch as bigint) * 1000000), \'%Y-%m\')' },
};

const { DuckDBInstance } = await import('@duckdb/node-api');
const work = mkdtempSync(join(tmpdir(), 'strata-demo-data-'));
const out = args.s3 ? join(work, 'landing') : resolve(args.out ?? join(root, 'landing'));
const db = await DuckDBInstance.create(':memory:', { threads: '1', autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
const con = await db.connect();
const q = (s) => `'${s.replace(/'/g, "''")}'`;
for (const [name, { header, rows }] of Object.entries(tables)) {
  const csvFile = join(work, `${name}.csv`);
  writeFileSync(csvFile, csvText(header, rows));
  const src = `read_csv(${q(csvFile)}, header = true, all_varchar = true)`;
  const { select, month } = typed[name];
  const folder = join(out, name);
  rmSync(folder, { recursive: true, force: true });
  const parts = month ? (await (await con.run(`select distinct ${month} as m from ${src} order by 1`)).getRowObjects()).map((r) => String(r.m)) : [null];
  for (const m of parts) {
    const file = m ? join(folder, `month=${m}`, `${name}.parquet`) : join(folder, `${name}.parquet`);
    mkdirSync(dirname(file), { recursive: true });
    await con.run(`copy (select ${select} from ${src}${m ? ` where ${month} = ${q(m)}` : ''}) to ${q(file)} (format parquet, compression zstd)`);
  }
}
con.closeSync?.();

const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const written = files(out);
if (args.s3) {
  const { S3Client, PutObjectCommand, CreateBucketCommand, HeadBucketCommand } = await import('@aws-sdk/client-s3');
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(args.s3);
  if (!m) throw new Error(`--s3 must look like s3://bucket/prefix, got ${args.s3}`);
  const [, bucket, prefix] = m;
  const client = new S3Client({ endpoint: args.endpoint, region: args.region ?? process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: Boolean(args.endpoint), requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  for (const f of written) {
    const key = [prefix.replace(/\/$/, ''), relative(out, f).split('\\').join('/')].filter(Boolean).join('/');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(f), ContentLength: statSync(f).size }));
  }
  client.destroy();
  console.log(`uploaded ${written.length} landing files to ${args.s3}`);
} else {
  console.log(`wrote ${written.length} landing files under ${relative(process.cwd(), out) || '.'}`);
}
rmSync(work, { recursive: true, force: true });
