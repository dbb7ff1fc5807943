#!/usr/bin/env node
// Writes the demo's CSV seeds deterministically (seeded PRNG): `node scripts/generate-demo-seeds.mjs`.
// The CSVs are committed; rerunning reproduces them byte for byte.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let state = 20260101;
const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
const pad = (n, w = 2) => String(n).padStart(w, '0');
const csv = (file, header, rows) => {
  const esc = (v) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const path = join(root, 'seeds', file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, [header.join(','), ...rows.map((r) => r.map(esc).join(','))].join('\n') + '\n');
};

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
csv('raw_customers.csv', ['customer_id', 'full_name', 'email', 'phone', 'plan', 'region', 'signup_date'], customers);

const teams = ['billing', 'network', 'retention', 'devices'];
const agents = [];
for (let i = 1; i <= 20; i++) agents.push([`A${pad(i)}`, `${pick(firsts)} ${pick(lasts)}`, teams[i % 4], `2020-${pad(int(1, 12))}-${pad(int(1, 28))}`]);
csv('raw_agents.csv', ['agent_id', 'agent_name', 'team', 'hired_on'], agents);

const categories = [['BILL', 'Billing dispute', 48], ['NET', 'Network outage', 24], ['SPD', 'Slow data speed', 72], ['DEV', 'Device fault', 96], ['PORT', 'Number porting', 48], ['CONT', 'Contract terms', 120]];
csv('raw_complaint_categories.csv', ['category_code', 'category_name', 'sla_hours'], categories);

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
csv('raw_complaints_web.csv', ['ticket_id', 'customer_id', 'submitted_at', 'category', 'status', 'description', 'agent_id', 'resolved_at'], web);

const calls = [];
for (let i = 1; i <= 380; i++) {
  const opened = at(int(0, 60), int(7, 21), int(0, 59));
  const st = pick(statuses);
  const res = resolution(opened, st);
  const dmy = (d) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  calls.push([`CC${100000 + i}`, customerId(), dmy(opened), pick(categories)[0].toLowerCase(), messy(st), agentId(), res ? dmy(res) : '']);
}
csv('raw_complaints_call_center.csv', ['call_ref', 'cust_no', 'call_start', 'reason_code', 'outcome', 'handled_by', 'closed_on'], calls);

const emails = [];
for (let i = 1; i <= 260; i++) {
  const opened = at(int(0, 60), int(0, 23), int(0, 59));
  const st = pick(statuses);
  const res = resolution(opened, st);
  const updated = res ?? new Date(opened.getTime() + int(1, 48) * 3600e3);
  emails.push([`<msg-${i}@mail.example.net>`, customerId(), Math.floor(opened.getTime() / 1000), pick(categories)[0], messy(st), agentId(), res ? Math.floor(res.getTime() / 1000) : '', iso(updated)]);
}
csv('raw_complaints_email.csv', ['message_id', 'from_customer', 'received_epoch', 'topic', 'state', 'assignee', 'resolved_epoch', 'updated_at'], emails);
console.log(`seeds: ${customers.length} customers, ${agents.length} agents, ${web.length + calls.length + emails.length} complaint rows`);
