#!/usr/bin/env node
// Generates a synthetic dbt-style project: bronze/silver/gold folders, refs with fan-in and fan-out,
// macros, schema.yml files with column tests, some incremental models, ~10% models needing a full render.
// --realistic: models as real projects write them (macros in select lists, is_incremental() blocks with
// {{ this }}, config() with lists and dicts, set/for loops, docs blocks): few fit the static fast path.
// Usage: node bench/generate-project.mjs <dir> [--models 10000] [--seed 1] [--realistic]
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function generateProject(dir, { models = 10000, seed = 1, realistic = false } = {}) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
  rmSync(dir, { recursive: true, force: true });
  const write = (rel, text) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  write('project.yml', 'name: bench\nprofile: bench\nmodels:\n  bench:\n    bronze:\n      +materialized: view\n    silver:\n      +materialized: table\n    gold:\n      +materialized: table\n');
  write('profiles.yml', 'bench:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/bench.duckdb\n      threads: 4\n');
  write('macros/helpers.sql', "{% macro cents_to_dollars(col) %}({{ col }} / 100.0){% endmacro %}\n{% macro clean(col) %}lower(trim({{ col }})){% endmacro %}\n");
  const nBronze = Math.round(models * 0.3);
  const nSilver = Math.round(models * 0.4);
  const nGold = models - nBronze - nSilver;
  const names = { bronze: [], silver: [], gold: [] };
  const schema = { bronze: [], silver: [], gold: [] };
  const perFolder = 200;
  const folderOf = (layer, i) => `models/${layer}/area_${Math.floor(i / perFolder)}`;
  for (let i = 0; i < nBronze; i++) {
    const name = `brz_${i}`;
    names.bronze.push(name);
    write(`${folderOf('bronze', i)}/${name}.sql`, `select id, amount, label, updated_at from {{ source('raw', 't_${i % 50}') }}\n`);
  }
  for (let i = 0; i < nSilver; i++) {
    const name = `slv_${i}`;
    names.silver.push(name);
    const ups = [...new Set(Array.from({ length: int(1, 3) }, () => names.bronze[int(0, nBronze - 1)]))];
    const r = rand();
    let sql;
    if (realistic) sql = realisticSilver(r, i, ups);
    else if (r < 0.05) {
      sql = `{{ config(materialized='incremental', unique_key='id') }}\nselect id, {{ cents_to_dollars('amount') }} as amount, {{ clean('label') }} as label, updated_at\nfrom {{ ref('${ups[0]}') }}\n{% if is_incremental() %}where updated_at > (select max(updated_at) from {{ this }}){% endif %}\n`;
    } else if (r < 0.10) {
      sql = `{% set cols = ['id', 'amount', 'label'] %}\nselect {% for c in cols %}{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}\nfrom {{ ref('${ups[0]}') }}\n`;
    } else {
      sql = `select a.id, a.amount, a.label, a.updated_at\nfrom {{ ref('${ups[0]}') }} as a\n${ups.slice(1).map((u, j) => `left join {{ ref('${u}') }} as j${j} on j${j}.id = a.id`).join('\n')}\n`;
    }
    write(`${folderOf('silver', i)}/${name}.sql`, sql);
    if (i % 3 === 0) schema.silver.push(name);
  }
  for (let i = 0; i < nGold; i++) {
    const name = `gld_${i}`;
    names.gold.push(name);
    const ups = [...new Set(Array.from({ length: int(2, 5) }, () => names.silver[int(0, nSilver - 1)]))];
    const plainGold = `select count(*) as n, sum(amount) as total\nfrom (\n${ups.map((u) => `  select id, amount from {{ ref('${u}') }}`).join('\n  union all\n')}\n)\n`;
    write(`${folderOf('gold', i)}/${name}.sql`, realistic && rand() < 0.6 ? realisticGold(i, ups) : plainGold);
    if (i % 3 === 0) schema.gold.push(name);
  }
  if (realistic) write('models/docs.md', Array.from({ length: 20 }, (_, k) => `{% docs area_${k} %}\nModels of area ${k}: cleaned and conformed.\n{% enddocs %}\n`).join('\n'));
  write('models/sources.yml', `version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n${Array.from({ length: 50 }, (_, i) => `      - name: t_${i}`).join('\n')}\n`);
  for (const layer of ['silver', 'gold']) {
    const chunks = [];
    for (let i = 0; i < schema[layer].length; i += perFolder) chunks.push(schema[layer].slice(i, i + perFolder));
    chunks.forEach((chunk, k) => write(`models/${layer}/schema_${k}.yml`, `version: 2\nmodels:\n${chunk.map((n) => `  - name: ${n}\n    columns:\n      - name: ${layer === 'gold' ? 'n' : 'id'}\n        data_tests: [not_null]\n`).join('')}`.replace(/^  - name: (\S+)\n/gm, (m, n) => (realistic ? `${m}    description: '{{ doc("area_${Number(n.split('_')[1]) % 20}") }}'\n` : m))));
  }
  return { models, bronze: nBronze, silver: nSilver, gold: nGold };
}

/** A silver model as real projects write them: macros in the select list, incremental blocks, configs with lists. */
function realisticSilver(r, i, ups) {
  const tags = `tags=['silver', 'area_${Math.floor(i / 200)}']`;
  if (r < 0.3) {
    return `{{ config(materialized='incremental', unique_key=['id'], ${tags}, meta={'owner': 'team_${i % 7}'}) }}\nselect id, {{ cents_to_dollars('amount') }} as amount, {{ clean('label') }} as label, updated_at\nfrom {{ ref('${ups[0]}') }}\n{% if is_incremental() %}\nwhere updated_at > (select max(updated_at) from {{ this }})\n{% endif %}\n`;
  }
  if (r < 0.6) return `{{ config(${tags}) }}\nselect id, {{ cents_to_dollars('amount') }} as amount, {{ clean('label') }} as label, updated_at\nfrom {{ ref('${ups[0]}') }}\n`;
  if (r < 0.8) {
    return `{% set cols = ['id', 'amount', 'label', 'updated_at'] %}\n{{ config(${tags}) }}\nselect\n{%- for c in cols %}\n  {{ c }}{{ ',' if not loop.last }}\n{%- endfor %}\nfrom {{ ref('${ups[0]}') }}\n`;
  }
  return `select a.id, a.amount, a.label, a.updated_at\nfrom {{ ref('${ups[0]}') }} as a\n${ups.slice(1).map((u, j) => `left join {{ ref('${u}') }} as j${j} on j${j}.id = a.id`).join('\n')}\n`;
}

/** A gold model that unions its parents in a loop, with a config list. */
function realisticGold(i, ups) {
  return `{{ config(materialized='table', tags=['gold'], meta={'tier': ${i % 3}}) }}\n{% set parents = [${ups.map((u) => `'${u}'`).join(', ')}] %}\nselect count(*) as n, sum(amount) as total\nfrom (\n{%- for p in parents %}\n  select id, amount from {{ ref(p) }}{% if not loop.last %} union all{% endif %}\n{%- endfor %}\n)\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/generate-project.mjs <dir> [--models N] [--seed N]');
    process.exit(2);
  }
  const arg = (k, d) => (process.argv.includes(k) ? Number(process.argv[process.argv.indexOf(k) + 1]) : d);
  console.log(generateProject(dir, { models: arg('--models', 10000), seed: arg('--seed', 1), realistic: process.argv.includes('--realistic') }));
}
