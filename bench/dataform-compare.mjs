// Compiles the same synthetic graph with the Dataform CLI, installed into a temp folder from the npm registry.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, dirname, basename } from 'node:path';
import { performance } from 'node:perf_hooks';

function walk(dir) {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

/** Converts the generated project to SQLX (`${ref("x")}`) and times `dataform compile --json`. */
export function compareWithDataform(projectDir) {
  const tools = join(tmpdir(), 'strata-dataform-cli');
  const binPath = join(tools, 'node_modules', '.bin', 'dataform');
  if (!existsSync(binPath)) {
    mkdirSync(tools, { recursive: true });
    execFileSync('npm', ['install', '--prefix', tools, '--no-audit', '--no-fund', '@dataform/cli'], { stdio: 'ignore' });
  }
  const df = mkdtempSync(join(tmpdir(), 'strata-dataform-'));
  writeFileSync(join(df, 'workflow_settings.yaml'), 'defaultProject: bench\ndefaultLocation: US\ndefaultDataset: bench\ndataformCoreVersion: 3.0.0\n');
  mkdirSync(join(df, 'definitions'), { recursive: true });
  writeFileSync(join(df, 'definitions', 'sources.js'), Array.from({ length: 50 }, (_, i) => `declare({ schema: "raw", name: "t_${i}" });`).join('\n'));
  for (const file of walk(join(projectDir, 'models')).filter((f) => f.endsWith('.sql'))) {
    const layer = relative(join(projectDir, 'models'), file).split('/')[0];
    const sql = readFileSync(file, 'utf8')
      .replace(/\{\{\s*config\([^)]*\)\s*\}\}/g, '')
      .replace(/\{%\s*if is_incremental\(\)\s*%\}[\s\S]*?\{%\s*endif\s*%\}/g, '')
      .replace(/\{%\s*set cols[^%]*%\}/g, '')
      .replace(/select \{%[\s\S]*?endfor %\}/g, 'select id, amount, label')
      .replace(/\{\{\s*cents_to_dollars\('(\w+)'\)\s*\}\}/g, '($1 / 100.0)')
      .replace(/\{\{\s*clean\('(\w+)'\)\s*\}\}/g, 'lower(trim($1))')
      .replace(/\{\{\s*ref\('(\w+)'\)\s*\}\}/g, '${ref("$1")}')
      .replace(/\{\{\s*source\('(\w+)',\s*'(\w+)'\)\s*\}\}/g, '${ref("$1", "$2")}');
    const out = join(df, 'definitions', layer, `${basename(file, '.sql')}.sqlx`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `config { type: "${layer === 'bronze' ? 'view' : 'table'}" }\n${sql}`);
  }
  const version = execFileSync(binPath, ['--version'], { encoding: 'utf8' }).trim();
  const t0 = performance.now();
  execFileSync(binPath, ['compile', df, '--json', '--timeout=30m'], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  return { version, ms: Math.round(performance.now() - t0) };
}
