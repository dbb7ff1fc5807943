#!/usr/bin/env node
// The demo's data, deterministic (seeded PRNG): the five sources of the telecom platform as they arrive,
// and the reference seed (complaint categories).
//
//   customers/customers.csv                        CRM export, static (lands once)
//   agents/agents.csv                              lookup sheet exported as CSV, static (lands once)
//   call_logs/call_logs_day_<day>.csv              the call centre's log, one file per day
//   social/social_complaints_day_<day>.json        social-media complaints, one file per day (nested, one JSON object a line)
//   web/web_complaints_day_<day>.parquet           the web form's table of the day, exported as Parquet
//
// A complaint is opened in one channel and reappears in that channel's file on each day its status or agent
// changes (backlog → in progress → resolved). Dirt on purpose: re-sent duplicate rows, malformed e-mails and
// phone numbers, two timestamp formats in the call log, messy statuses, null ids, complaints that reference
// unknown customers or agents.
//
//   node scripts/generate-demo-data.mjs                          # writes seeds/ and landing/ in this repository
//   node scripts/generate-demo-data.mjs --scale 50 --days 30 --start 2026-01-05 --out DIR
//   node scripts/generate-demo-data.mjs --s3 s3://bucket/prefix --endpoint http://127.0.0.1:4569
//                                                                # uploads them to an S3-compatible server
//                                                                # (credentials from the AWS environment variables)
import { writeFileSync, mkdirSync, mkdtempSync, rmSync, readdirSync, statSync, createReadStream, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    out: { type: 'string' }, s3: { type: 'string' }, endpoint: { type: 'string' }, region: { type: 'string' },
    seeds: { type: 'boolean', default: true }, scale: { type: 'string', default: '1' }, days: { type: 'string', default: '10' }, start: { type: 'string', default: '2026-01-05' },
  },
});
const scale = Number(args.scale), days = Number(args.days);
if (!(scale > 0) || !Number.isInteger(days) || days < 1 || !/^\d{4}-\d{2}-\d{2}$/.test(args.start)) {
  console.error('usage: --scale N (> 0) --days N (whole, ≥ 1) --start YYYY-MM-DD');
  process.exit(2);
}
// A linear congruential generator mod 2^31, computed exactly: Math.imul keeps the product's low 32 bits.
// (In plain floating point, state * 1103515245 exceeds 2^53 and loses its low bits, and the sequence fell
// into a cycle of about 10,000 values: at scale 120, a few hundred customers owned every complaint.)
// Two readers of the one sequence: the complaints draw from where the agents left it, the files' dirt from
// where the last complaint left it (as when every complaint was made before the first file was written), so
// that the files can be written a day at a time, each as soon as its complaints exist (memory at large scales).
let state = 20260105;
const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff) / 2147483648);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
/** Runs `fn` drawing from `from`; gives the state it left. */
const drawingFrom = (from, fn) => {
  const saved = state;
  state = from;
  try {
    fn();
    return state;
  } finally {
    state = saved;
  }
};
const pad = (n, w = 2) => String(n).padStart(w, '0');
const esc = (v) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const csvText = (header, rows) => [header.join(','), ...rows.map((r) => r.map(esc).join(','))].join('\n') + '\n';
const startMs = Date.parse(`${args.start}T00:00:00Z`);
const dayOf = (d) => new Date(startMs + d * 86400e3).toISOString().slice(0, 10);
const iso = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const dayFirst = (ms) => { const d = new Date(ms); return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`; };

const firsts = ['Amira', 'Bastian', 'Chloe', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kemal', 'Lucia', 'Mateo', 'Nora', 'Oskar', 'Priya', 'Rafael', 'Sofia', 'Tomas', 'Yara'];
const lasts = ['Almeida', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat', 'Ivanova', 'Jansen', 'Kowalski', 'Larsen', 'Moreau', 'Novak', 'Oliveira', 'Petrov', 'Rossi', 'Schmidt', 'Torres', 'Weber'];
const plans = ['prepaid', 'postpaid_basic', 'postpaid_plus', 'business'];
const regions = ['north', 'south', 'east', 'west', 'central'];

// Customers: a CRM export with its dirt (re-sent rows, null ids, malformed e-mails and phone numbers).
// 2,000 customers per 60 new complaints a day: a customer complains about once a month on average, so a
// day's complaints and status changes touch a few percent of the customer base, not most of it.
const nCustomers = Math.max(20, Math.round(2000 * scale));
const customerHeader = ['customer_id', 'full_name', 'email', 'phone', 'plan', 'region', 'signup_date', 'updated_at'];
const work = mkdtempSync(join(tmpdir(), 'strata-demo-data-'));
const out = args.s3 ? join(work, 'landing') : resolve(args.out ?? join(root, 'landing'));
for (const folder of ['customers', 'agents', 'call_logs', 'social', 'web', 'complaints_web', 'complaints_call_center', 'complaints_email']) rmSync(join(out, folder), { recursive: true, force: true });
const write = (file, text) => {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  writeFileSync(join(out, file), text);
};
/** A CSV file written a block of rows at a time (millions of customers at large scales). */
const csvWriter = (file, header) => {
  mkdirSync(dirname(join(out, file)), { recursive: true });
  const fd = openSync(join(out, file), 'w');
  let block = [header.join(',')];
  const flush = () => { writeSync(fd, block.join('\n') + '\n'); block = []; };
  return { row: (r) => { block.push(r.map(esc).join(',')); if (block.length >= 10000) flush(); }, close: () => { if (block.length) flush(); closeSync(fd); } };
};
const customers = csvWriter('customers/customers.csv', customerHeader);
for (let i = 1; i <= nCustomers; i++) {
  const f = pick(firsts), l = pick(lasts);
  const r = rand();
  const email = r < 0.03 ? `${f}.${l}${i}.example.net`.toLowerCase() : r < 0.2 ? `  ${f}.${l}${i}@Example.NET ` : `${f}.${l}${i}@example.net`.toLowerCase();
  const p = rand();
  const phone = p < 0.03 ? pick(['n/a', '12345', '']) : p < 0.3 ? `06-${int(10000000, 99999999)}` : `+31 6 ${int(1000, 9999)} ${int(1000, 9999)}`;
  const signup = `20${pick(['21', '22', '23', '24'])}-${pad(int(1, 12))}-${pad(int(1, 28))}`;
  const row = [i, `${f} ${l}`, email, phone, rand() < 0.1 ? ` ${pick(plans).toUpperCase()}` : pick(plans), pick(regions), signup, `${signup} 00:00:00`];
  customers.row(row);
  if (rand() < 0.03) customers.row(row);
}
for (let k = 0; k < Math.max(1, Math.round(2 * scale)); k++) customers.row(['', `${pick(firsts)} ${pick(lasts)}`, 'someone@example.net', '', 'prepaid', 'north', '2024-01-01', '2024-01-01 00:00:00']);
customers.close();

const teams = ['billing', 'network', 'retention', 'devices'];
const nAgents = Math.max(8, Math.round(20 * Math.sqrt(scale)));
const agentIds = Array.from({ length: nAgents }, (_, i) => `A${pad(i + 1, nAgents > 99 ? 3 : 2)}`);
const agents = agentIds.map((id, i) => { const hired = `2020-${pad(int(1, 12))}-${pad(int(1, 28))}`; return [id, `${pick(firsts)} ${pick(lasts)}`, teams[i % 4], hired, `${hired} 00:00:00`]; });
const agentHeader = ['agent_id', 'agent_name', 'team', 'hired_on', 'updated_at'];

const categories = [['BILL', 'Billing dispute', 48], ['NET', 'Network outage', 24], ['SPD', 'Slow data speed', 72], ['DEV', 'Device fault', 96], ['PORT', 'Number porting', 48], ['CONT', 'Contract terms', 120]];

// Complaints and their status changes, day by day. An orphan (unknown customer or agent, or no customer id)
// is one from its first event on, so a day-by-day run and a full build quarantine the same complaints.
const statusWords = { backlog: ['backlog', 'Backlog', 'BACKLOG', ' new', 'New'], in_progress: ['in_progress', 'In progress', 'IN PROGRESS', 'in-progress', ' pending'], resolved: ['resolved', 'Resolved', 'RESOLVED ', 'closed', 'Closed'] };
const events = Array.from({ length: days }, () => ({ web: [], call: [], social: [] }));
const perDay = Math.max(3, Math.round(60 * scale));
const seq = { web: 0, call: 0, social: 0 };
/** Day d's new complaints; their status changes go to `events` of their days (none when `keep` is false). */
const openComplaints = (d, keep) => {
  for (let n = 0; n < perDay; n++) {
    const channel = rand() < 0.4 ? 'web' : rand() < 0.6 ? 'call' : 'social';
    const i = ++seq[channel];
    const id = channel === 'web' ? `W-${pad(i, 6)}` : channel === 'call' ? `CC${pad(i, 7)}` : `S-${pad(i, 6)}`;
    const o = rand();
    const customer = o < 0.015 ? 9999 * 1000 + 9 : o < 0.025 ? null : int(1, nCustomers);
    const orphanAgent = rand() < 0.01;
    const c = { id, customer, category: pick(categories)[0], agent: orphanAgent ? 'A99' : pick(agentIds), opened: startMs + d * 86400e3 + int(6 * 60, 22 * 60) * 60e3 };
    // The path: backlog now; in progress 0-2 days later (maybe with another agent); resolved 0-3 days after that.
    let at = c.opened, day = d;
    const steps = [['backlog', c.agent]];
    if (rand() < 0.85) steps.push(['in_progress', orphanAgent || rand() < 0.6 ? c.agent : pick(agentIds)]);
    if (steps.length === 2 && rand() < 0.75) steps.push(['resolved', steps[1][1]]);
    steps.forEach(([status, agent], k) => {
      if (k > 0) { day += int(0, k === 1 ? 2 : 3); at = Math.max(at + int(30, 600) * 60e3, startMs + day * 86400e3 + int(7 * 60, 23 * 60) * 60e3); day = Math.floor((at - startMs) / 86400e3); }
      // The complaint itself is shared by its events, not copied into each (memory at large scales).
      if (keep && day < days) events[day][channel].push({ c, status, agent, at });
    });
  }
};
// Where the files' draws start: after every complaint's (made once without keeping them, then again day by day).
const complaintsFrom = state;
const filesFrom = drawingFrom(complaintsFrom, () => { for (let d = 0; d < days; d++) openComplaints(d, false); });
seq.web = seq.call = seq.social = 0;
let complaintState = complaintsFrom;
state = filesFrom;

// Each day's files are written once its complaints exist (a complaint's changes come on its day or later), and
// its events are dropped: a large scale holds a few days of events in memory, not all of them.
write('agents/agents.csv', csvText(agentHeader, agents));
const webDays = [];
const webCsv = (day) => join(work, `web_${day}.csv`);
for (let d = 0; d < days; d++) {
  complaintState = drawingFrom(complaintState, () => openComplaints(d, true));
  const day = dayOf(d);
  const dup = (rows) => rows.flatMap((r) => (rand() < 0.03 ? [r, r] : [r]));
  const calls = dup(events[d].call.sort((a, b) => a.at - b.at).map(({ c, status, agent, at }) => [c.id, c.customer ?? '', rand() < 0.3 ? dayFirst(c.opened) : iso(c.opened), c.category.toLowerCase(), pick(statusWords[status]), agent, rand() < 0.3 ? dayFirst(at) : iso(at)]));
  write(`call_logs/call_logs_day_${day}.csv`, csvText(['call_ref', 'cust_no', 'call_start', 'reason_code', 'outcome', 'handled_by', 'logged_at'], calls));
  const social = dup(events[d].social.sort((a, b) => a.at - b.at).map(({ c, status, agent, at }) => JSON.stringify({ post: { id: c.id, posted_at: iso(c.opened).replace(' ', 'T'), text: `@telco my ${c.category.toLowerCase()} problem again` }, author: { customer_id: c.customer, handle: `@user${c.customer ?? 'anon'}` }, triage: { category: c.category, status: pick(statusWords[status]), agent }, updated_at: iso(at).replace(' ', 'T') })));
  write(`social/social_complaints_day_${day}.json`, social.join('\n') + '\n');
  const web = dup(events[d].web.sort((a, b) => a.at - b.at).map(({ c, status, agent, at }) => [c.id, c.customer ?? '', iso(c.opened), c.category, pick(statusWords[status]), `Web complaint ${c.id}`, agent, iso(at)]));
  writeFileSync(webCsv(day), csvText(['ticket_id', 'customer_id', 'submitted_at', 'category', 'status', 'description', 'agent_id', 'updated_at'], web));
  webDays.push(day);
  events[d] = null;
}

if (args.seeds && !args.out && !args.s3) writeFileSync(join(root, 'seeds', 'raw_complaint_categories.csv'), csvText(['category_code', 'category_name', 'sla_hours'], categories));
// The web form's daily table, typed as the operational database has it, exported as Parquet.
const { DuckDBInstance } = await import('@duckdb/node-api');
const db = await DuckDBInstance.create(':memory:', { threads: '1', autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' });
const con = await db.connect();
const q = (s) => `'${s.replace(/'/g, "''")}'`;
mkdirSync(join(out, 'web'), { recursive: true });
for (const day of webDays) {
  const csvFile = webCsv(day);
  const select = "ticket_id, cast(nullif(customer_id, '') as integer) as customer_id, cast(submitted_at as timestamp) as submitted_at, category, status, description, agent_id, cast(updated_at as timestamp) as updated_at";
  await con.run(`copy (select ${select} from read_csv(${q(csvFile)}, header = true, all_varchar = true)) to ${q(join(out, 'web', `web_complaints_day_${day}.parquet`))} (format parquet, compression zstd)`);
}
con.closeSync?.();

const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const written = files(out).filter((f) => /[/\\](customers|agents|call_logs|social|web)[/\\]/.test(f));
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
  console.log(`wrote ${written.length} landing files (${days} days from ${args.start}, scale ${scale}) under ${relative(process.cwd(), out) || '.'}`);
}
rmSync(work, { recursive: true, force: true });
