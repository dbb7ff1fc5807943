#!/usr/bin/env node
// A telco churn export in the shape of the well-known IBM sample (customerID … Churn), deterministic
// (seeded PRNG). Dirt on purpose, as real exports have it: TotalCharges is a blank ' ' for customers in
// their first month, and some rows miss gender, tenure, contract, payment method or monthly charges.
//
//   node examples/customer-churn/scripts/generate-data.mjs             # rewrites landing/telco_churn.csv
//   node examples/customer-churn/scripts/generate-data.mjs --rows 5000
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '400' }, out: { type: 'string' } } });
let state = 7043;
const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const weighted = (pairs) => {
  let r = rand() * pairs.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of pairs) if ((r -= w) < 0) return v;
  return pairs.at(-1)[0];
};
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const blankSometimes = (v, p = 0.03) => (rand() < p ? '' : v);

const header = ['customerID', 'gender', 'SeniorCitizen', 'Partner', 'Dependents', 'tenure', 'PhoneService', 'MultipleLines', 'InternetService', 'OnlineSecurity', 'OnlineBackup', 'DeviceProtection', 'TechSupport', 'StreamingTV', 'StreamingMovies', 'Contract', 'PaperlessBilling', 'PaymentMethod', 'MonthlyCharges', 'TotalCharges', 'Churn'];
const rows = [];
const ids = new Set();
while (rows.length < Number(args.rows)) {
  const id = `${int(1000, 9999)}-${Array.from({ length: 5 }, () => pick([...letters])).join('')}`;
  if (ids.has(id)) continue;
  ids.add(id);
  const contract = weighted([['Month-to-month', 55], ['One year', 21], ['Two year', 24]]);
  const tenure = contract === 'Month-to-month' ? weighted([[0, 3], [int(1, 12), 50], [int(13, 72), 47]]) : int(6, 72);
  const phone = weighted([['Yes', 90], ['No', 10]]);
  const internet = weighted([['Fiber optic', 44], ['DSL', 34], ['No', 22]]);
  const addOn = () => (internet === 'No' ? 'No internet service' : weighted([['Yes', 40], ['No', 60]]));
  const extras = Array.from({ length: 6 }, addOn);
  const monthly = Math.round((18 + (phone === 'Yes' ? 2 : 0) + (internet === 'Fiber optic' ? 55 : internet === 'DSL' ? 30 : 0) + extras.filter((x) => x === 'Yes').length * 5 + rand() * 10) * 100) / 100;
  const churnOdds = (contract === 'Month-to-month' ? 0.42 : contract === 'One year' ? 0.11 : 0.03) + (tenure < 12 ? 0.1 : 0);
  rows.push([
    id,
    blankSometimes(pick(['Male', 'Female'])),
    rand() < 0.16 ? 1 : 0,
    pick(['Yes', 'No']),
    weighted([['Yes', 30], ['No', 70]]),
    blankSometimes(String(tenure)),
    phone,
    phone === 'No' ? 'No phone service' : pick(['Yes', 'No']),
    internet,
    ...extras,
    blankSometimes(contract),
    pick(['Yes', 'No']),
    blankSometimes(weighted([['Electronic check', 34], ['Mailed check', 23], ['Bank transfer (automatic)', 22], ['Credit card (automatic)', 21]])),
    blankSometimes(monthly.toFixed(2), 0.04),
    tenure === 0 ? ' ' : (Math.round(monthly * tenure * (0.95 + rand() * 0.1) * 100) / 100).toFixed(2),
    rand() < churnOdds ? 'Yes' : 'No',
  ]);
}
const out = args.out ?? join(root, 'landing');
mkdirSync(out, { recursive: true });
const esc = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
writeFileSync(join(out, 'telco_churn.csv'), [header.join(','), ...rows.map((r) => r.map(esc).join(','))].join('\n') + '\n');
console.log(`${join(out, 'telco_churn.csv')}: ${rows.length} rows`);
