import { cpSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/index.js';
import type { ExitCode } from './types.js';
import type { ProjectScaffold } from '../adapters/contract.js';
import { embeddedConventions } from '../adapters/registry.js';

/** A new project builds on the embedded warehouse, whose file lives in the project folder (not under target/, so `strata clean` never deletes it). */
const scaffold = (): ProjectScaffold => embeddedConventions().embedded.scaffold;
const gitignore = (): string => ['target/', 'logs/', ...scaffold().gitignore, ''].join('\n');

const FILES = (name: string): Record<string, string> => ({
  'project.yml': `name: ${name}\nversion: '1.0.0'\nprofile: ${name}\n\nmodel-paths: [models]\nseed-paths: [seeds]\nmacro-paths: [macros]\ntest-paths: [tests]\nsnapshot-paths: [snapshots]\ntarget-path: target\nclean-targets: [target]\n\nmodels:\n  ${name}:\n    +materialized: view\n`,
  'profiles.yml': `${name}:\n  target: dev\n  outputs:\n    dev:\n${scaffold().profileOutput(name)}`,
  'models/example/my_first_model.sql': `{{ config(materialized='table') }}\n\nselect 1 as id, 'hello' as greeting\nunion all\nselect 2 as id, 'world' as greeting\n`,
  'models/example/my_second_model.sql': `select id, upper(greeting) as greeting\nfrom {{ ref('my_first_model') }}\n`,
  'models/example/schema.yml': `version: 2\n\nmodels:\n  - name: my_first_model\n    description: A starter model\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n`,
  'seeds/.gitkeep': '',
  'macros/.gitkeep': '',
  'tests/.gitkeep': '',
  'snapshots/.gitkeep': '',
  '.gitignore': gitignore(),
});

/** The bundled telecom demo, as the package ships it (its root is the package's root). */
const DEMO_ENTRIES = ['project.yml', 'profiles.yml', 'models', 'macros', 'seeds', 'snapshots', 'tests', 'landing'];
const packageRoot = (): string => resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `strata init --demo <name>`: copies the bundled demo (landing files included) into a new folder. */
function initDemo(root: string): string[] {
  const from = packageRoot();
  const created: string[] = [];
  mkdirSync(root, { recursive: true });
  for (const entry of DEMO_ENTRIES) {
    if (!existsSync(join(from, entry))) continue;
    cpSync(join(from, entry), join(root, entry), { recursive: true });
    created.push(entry);
  }
  writeFileSync(join(root, '.gitignore'), gitignore());
  return [...created, '.gitignore'];
}

/** `strata init <name>`: scaffolds a new project folder that builds on the embedded warehouse right away (`demo`: the bundled demo). */
export function init(options: { name: string; dir?: string; demo?: boolean }): { exitCode: ExitCode; created: string[]; diagnostics: Diagnostic[] } {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.name)) {
    return { exitCode: 2, created: [], diagnostics: [{ code: 'init-bad-name', severity: 'error', message: `'${options.name}' is not a valid project name`, hint: 'use letters, digits and underscores, starting with a letter' }] };
  }
  const root = resolve(options.dir ?? process.cwd(), options.name);
  if (existsSync(root)) {
    return { exitCode: 2, created: [], diagnostics: [{ code: 'init-exists', severity: 'error', message: `${root} already exists`, hint: 'choose another name or remove the folder' }] };
  }
  if (options.demo) return { exitCode: 0, created: initDemo(root), diagnostics: [] };
  const created: string[] = [];
  for (const [rel, text] of Object.entries(FILES(options.name))) {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    created.push(rel);
  }
  return { exitCode: 0, created, diagnostics: [] };
}
