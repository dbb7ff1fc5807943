import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { lastNodeRunFile } from '../artifacts/last-node-run.js';
import type { DocsArtifacts } from './site-data.js';
import type { LineageFile } from './site-types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function readJson(file: string, diagnostics: Diagnostic[], required: boolean): Json | undefined {
  if (!existsSync(file)) {
    if (required) diagnostics.push({ code: 'docs-artifact-missing', severity: 'error', message: `${file} does not exist`, file, hint: 'run `strata docs generate` (it writes manifest.json and catalog.json first)' });
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (e) {
    diagnostics.push({ code: 'docs-artifact-invalid', severity: required ? 'error' : 'warn', message: `${file} is not valid JSON: ${(e as Error).message}`, file, hint: required ? 'run `strata docs generate` again' : 'the site is written without it; run the command that writes it again' });
    return undefined;
  }
}

/** Where dbt (and Strata's compiler) writes a node's compiled SQL under target/compiled/. */
function compiledFile(targetDir: string, n: Json): string {
  const ofp = String(n.original_file_path ?? '');
  return ofp.endsWith('.sql') ? join(targetDir, 'compiled', n.package_name, ofp) : join(targetDir, 'compiled', n.package_name, ofp, String(n.path ?? ''));
}

/** Reads the artifacts of `targetDir` for the docs site. Only manifest.json is required. */
export function readDocsArtifacts(targetDir: string): { artifacts?: DocsArtifacts; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const manifest = readJson(join(targetDir, 'manifest.json'), diagnostics, true);
  if (!manifest) return { diagnostics };
  const compiled: Record<string, string> = {};
  for (const n of Object.values((manifest.nodes ?? {}) as Record<string, Json>)) {
    if (n.compiled_code || !['model', 'snapshot', 'test', 'analysis'].includes(n.resource_type)) continue;
    const file = compiledFile(targetDir, n);
    if (existsSync(file)) compiled[n.unique_id] = readFileSync(file, 'utf8');
  }
  const artifacts: DocsArtifacts = { manifest, compiled };
  const catalog = readJson(join(targetDir, 'catalog.json'), diagnostics, false);
  // The last run of nodes: run_results.json, or the copy kept when `compile` or `docs generate` replaced it.
  const runFile = lastNodeRunFile(targetDir);
  const runResults = runFile ? readJson(runFile, diagnostics, false) : undefined;
  const sources = readJson(join(targetDir, 'sources.json'), diagnostics, false);
  const lineage = readJson(join(targetDir, 'lineage.json'), diagnostics, false);
  if (catalog) artifacts.catalog = catalog;
  if (runResults) artifacts.runResults = runResults;
  if (sources) artifacts.sources = sources;
  if (lineage) {
    if (lineage.metadata?.lineage_version === 1 && lineage.nodes && typeof lineage.nodes === 'object') artifacts.lineage = lineage as LineageFile;
    else diagnostics.push({ code: 'docs-artifact-invalid', severity: 'warn', message: `${join(targetDir, 'lineage.json')} is not lineage_version 1; the site shows no column lineage`, file: join(targetDir, 'lineage.json'), hint: 'run `strata docs generate` again to rewrite it' });
  }
  return { artifacts, diagnostics };
}
