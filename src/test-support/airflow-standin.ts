/** Helpers of the Airflow tests: generate a DAG through the api, read it back through the Airflow stand-in. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './demo-project.js';
import { runProcess } from './strata-cli.js';
import { airflowDag, type AirflowOptions } from '../api/index.js';

export const STANDIN = join(repoRoot, 'fixtures', 'airflow-standin', 'standin.py');
export const STRATA_BIN = join(repoRoot, 'bin', 'strata.js');

export interface DescribedTask {
  task_id: string;
  operator: string;
  group: string | null;
  outlets: string[];
  upstream: string[];
  args: Record<string, unknown>;
}
export interface DescribedDag {
  dag_id: string;
  args: Record<string, unknown>;
  groups: string[];
  tasks: DescribedTask[];
}

/** Writes the DAG (or task-group module) of a project to `<dir>/dags/<file>` and returns its path. */
export async function generate(dir: string, options: Partial<AirflowOptions> = {}, file = 'strata_dag.py'): Promise<string> {
  const out = join(dir, 'dags', file);
  const result = await airflowDag({ projectDir: dir, kind: 'dag', out, targetPath: join(dir, 'target', 'gen'), ...options });
  if (result.exitCode !== 0) throw new Error(`airflow dag failed: ${JSON.stringify(result.diagnostics)}`);
  return out;
}

/** Imports a Python file under the stand-in (Airflow 2.x or 3.x layout) and returns the DAGs it defined. */
export function describe(file: string, layout: '2' | '3' = '3', extra: string[] = []): DescribedDag[] {
  const text = execFileSync('python3', [STANDIN, 'describe', file, ...extra], { env: { ...process.env, AIRFLOW_STANDIN_LAYOUT: layout }, encoding: 'utf8' });
  return JSON.parse(text) as DescribedDag[];
}

/** The Strata node a task builds (from its doc), or undefined for parse/build/test-all tasks. */
export function nodeOfTask(t: DescribedTask): string | undefined {
  return /`([^`]+)`/.exec(String(t.args.doc_md ?? ''))?.[1];
}

/**
 * What the DAG should be, computed from manifest.json alone: a task per selected landing, seed, snapshot and
 * non-ephemeral model, and an edge a → b whenever a path a → … → b in parent_map crosses no other such node.
 */
export function expectedGraph(manifestPath: string, selected: Set<string>): Map<string, string[]> {
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { nodes: Record<string, { resource_type: string; config: { materialized?: string } }>; parent_map: Record<string, string[]> };
  const isTask = (id: string): boolean => {
    const n = m.nodes[id];
    return !!n && selected.has(id) && ['landing', 'seed', 'snapshot', 'model'].includes(n.resource_type) && n.config.materialized !== 'ephemeral';
  };
  const out = new Map<string, string[]>();
  for (const id of Object.keys(m.nodes).filter(isTask)) {
    const found = new Set<string>();
    const seen = new Set<string>();
    const stack = [...(m.parent_map[id] ?? [])];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      if (isTask(p)) found.add(p);
      else stack.push(...(m.parent_map[p] ?? []));
    }
    out.set(id, [...found].sort());
  }
  return out;
}

/** The node graph of a described DAG: node → the nodes of its upstream tasks (parse tasks left out). */
export function actualGraph(dag: DescribedDag): Map<string, string[]> {
  const nodeOf = new Map(dag.tasks.map((t) => [t.task_id, nodeOfTask(t)]));
  const out = new Map<string, string[]>();
  for (const t of dag.tasks) {
    const node = nodeOf.get(t.task_id);
    if (!node || node.startsWith('test.') || node.startsWith('unit_test.')) continue;
    out.set(node, t.upstream.map((u) => nodeOf.get(u)).filter((n): n is string => n !== undefined).sort());
  }
  return out;
}

/** `strata <args>` through the published entry point: its stdout; throws when it exits other than 0. */
export async function strata(args: string[], cwd: string): Promise<string> {
  const r = await runProcess('node', [STRATA_BIN, ...args], { cwd });
  if (r.code !== 0) throw new Error(`strata ${args.join(' ')} exited ${r.code}:\n${r.out}`);
  return r.stdout;
}

/** `standin.py test <file> <dag> <dates…>` (Airflow's `dags test`: each task runs the real CLI): the runs, parsed. */
export async function airflowDagsTest<Run>(file: string, dag: string, dates: string[]): Promise<Run[]> {
  const r = await runProcess('python3', [STANDIN, 'test', file, dag, ...dates]);
  if (r.code !== 0) throw new Error(`standin.py test ${dag} exited ${r.code}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Run[];
}
