#!/usr/bin/env node
// The support-ticket export, deterministic (seeded PRNG): one CSV per hour under landing/, as the helpdesk
// drops them. A ticket changed in a later hour is exported again with its new status. Dirt on purpose:
// exact duplicate rows, blank ticket ids, e-mails in mixed case with spaces or no '@', ages that are not
// numbers or out of range, ratings outside 1-5, two timestamp formats, statuses in mixed case, blanks.
//
//   node examples/support-tickets/scripts/generate-data.mjs            # rewrites landing/*.csv
//   node examples/support-tickets/scripts/generate-data.mjs --hours 4  # one more hour
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { hours: { type: 'string', default: '3' }, rows: { type: 'string', default: '110' }, out: { type: 'string' } } });
const out = args.out ?? join(root, 'landing');
let state = 4242;
const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
const pad = (n) => String(n).padStart(2, '0');
const esc = (v) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

const header = ['ticket_id', 'customer_name', 'customer_email', 'customer_age', 'customer_gender', 'product_purchased', 'date_of_purchase', 'ticket_type', 'ticket_subject', 'ticket_description', 'ticket_status', 'resolution', 'ticket_priority', 'ticket_channel', 'first_response_time', 'time_to_resolution', 'customer_satisfaction_rating'];
const firsts = ['Marisa', 'Jessica', 'Christopher', 'Aisha', 'Kenji', 'Olga', 'Pedro', 'Fatima', 'Lars', 'Mei', 'Samuel', 'Zanele'];
const lasts = ['Obrien', 'Rios', 'Robbins', 'Khan', 'Tanaka', 'Petrova', 'Silva', 'Haddad', 'Nilsson', 'Chen', 'Mensah', 'Dlamini'];
const products = ['GoPro Hero', 'LG Smart TV', 'Dell XPS', 'Microsoft Office', 'Autodesk AutoCAD', 'Fitbit Charge', 'Sony PlayStation', 'Philips Hue Lights'];
const types = ['Technical issue', 'Billing inquiry', 'Product inquiry', 'Refund request', 'Cancellation request'];
const subjects = ['Product setup', 'Peripheral compatibility', 'Network problem', 'Account access', 'Data loss', 'Payment issue', 'Battery life'];
const priorities = ['Low', 'Medium', 'High', 'Critical'];
const channels = ['Email', 'Phone', 'Chat', 'Social media'];
const resolutions = ['Replaced the cable', 'Refund issued', 'Reset the password', 'Firmware updated', 'Explained the invoice'];

/** A timestamp in one of the two formats the helpdesk exports: ISO, or day-first without seconds. */
function stamp(d) {
  const [y, m, day, h, mi, s] = [d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), pad(d.getUTCHours()), pad(d.getUTCMinutes()), pad(d.getUTCSeconds())];
  return rand() < 0.2 ? `${day}/${m}/${y} ${h}:${mi}` : `${y}-${m}-${day} ${h}:${mi}:${s}`;
}

function dirtyEmail(f, l, id) {
  const r = rand();
  if (r < 0.04) return '';
  if (r < 0.08) return `${f}.${l}${id}.example.com`.toLowerCase();
  if (r < 0.25) return `  ${f}.${l}${id}@Example.COM `;
  return `${f}.${l}${id}@example.com`.toLowerCase();
}

function dirtyAge() {
  const r = rand();
  if (r < 0.04) return '';
  if (r < 0.07) return pick(['abc', 'forty', 'n/a']);
  if (r < 0.10) return String(pick([-3, 0 - int(1, 9), 150, 212]));
  if (r < 0.18) return `${int(18, 80)}.0`;
  return String(int(18, 80));
}

/** A ticket as of one hour: status moves Open → Pending Customer Response → Closed over the hours. */
function row(t, hour) {
  const stage = Math.min(2, t.stage + hour - t.hour);
  const status = ['Open', 'Pending Customer Response', 'Closed'][stage];
  const closed = stage === 2;
  const shown = rand() < 0.15 ? ` ${status.toUpperCase()} ` : status;
  const rating = closed ? (rand() < 0.1 ? pick(['0', '6', '9', 'n/a']) : String(int(1, 5))) : '';
  const resolved = closed ? stamp(new Date(t.firstResponse.getTime() + int(1, 30) * 3600_000)) : '';
  return [t.id, t.name, t.email, t.age, t.gender, t.product, t.purchase, t.type, t.subject, t.description, shown, closed ? pick(resolutions) : '', t.priority, t.channel, stage > 0 || rand() < 0.5 ? stamp(t.firstResponse) : '', resolved, rating];
}

const hours = Number(args.hours), perHour = Number(args.rows);
const tickets = [];
let nextId = 1;
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (/^tickets_.*\.csv$/.test(f)) rmSync(join(out, f));
for (let h = 0; h < hours; h++) {
  const rows = [];
  // Tickets opened earlier and still open come back with their new status.
  for (const t of tickets) if (t.stage + h - t.hour <= 2 && h > t.hour && rand() < 0.5) rows.push(row(t, h));
  while (rows.length < perHour) {
    const f = pick(firsts), l = pick(lasts), id = nextId++;
    const t = { id: String(id), hour: h, stage: rand() < 0.3 ? 2 : rand() < 0.5 ? 1 : 0, name: rand() < 0.05 ? '' : `${f} ${l}`, email: dirtyEmail(f, l, id), age: dirtyAge(), gender: rand() < 0.05 ? '' : pick(['Male', 'Female', 'Other']), product: pick(products), purchase: `2025-${pad(int(1, 12))}-${pad(int(1, 28))}`, type: pick(types), subject: pick(subjects), description: `I'm having an issue with the ${pick(products)}, please assist.`, priority: rand() < 0.04 ? '' : pick(priorities), channel: rand() < 0.04 ? '' : pick(channels), firstResponse: new Date(Date.UTC(2026, 2, 2, 8 + h, int(0, 59), int(0, 59))) };
    tickets.push(t);
    const r = row(t, h);
    if (rand() < 0.03) r[0] = ''; // the helpdesk lost the id
    rows.push(r);
    if (rand() < 0.04) rows.push([...r]); // re-sent row
  }
  const file = join(out, `tickets_2026-03-02T${pad(9 + h)}.csv`);
  writeFileSync(file, [header.join(','), ...rows.map((r) => r.map(esc).join(','))].join('\n') + '\n');
  console.log(`${file}: ${rows.length} rows`);
}
