import type { ProjectGraph } from '../graph/types.js';
import type { ManifestNode } from '../parse/types.js';
import { relationUri, type TargetInfo } from './relation-uri.js';
import { homeTask, testUpstream } from './test-placement.js';
import type { AirflowPlan, AirflowSettings, PlannedTask, TaskKind } from './types.js';

const BUILT = new Set(['landing', 'seed', 'snapshot', 'model']);

/** Does a node get a task of its own? Landing, seeds, snapshots and models; ephemeral models are folded into their children. */
export function isTaskNode(node: ManifestNode | undefined): node is ManifestNode {
  return node !== undefined && BUILT.has(node.resourceType) && !(node.resourceType === 'model' && node.config.materialized === 'ephemeral');
}

const safeId = (text: string): string => text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._-]+/, '').slice(0, 200) || 'node';

/** The task id of a node: its name (a model version: `name_v2`), a landing `land_<source>_<table>`, a test `test_<name>`. */
function taskName(node: ManifestNode, graph: ProjectGraph): string {
  if (node.resourceType === 'landing') {
    const source = graph.manifest.sources[String(node.extra?.sourceId)];
    return safeId(`land_${source ? `${source.sourceName}_${source.name}` : node.name}`);
  }
  if (node.resourceType === 'test' || node.resourceType === 'unit_test') return safeId(`test_${node.name}`);
  return safeId(node.version !== undefined ? `${node.name}_v${node.version}` : node.name);
}

/** The TaskGroup path of a node: its layer (custom schema, else first folder) or its folder. */
function groupOf(node: ManifestNode, graph: ProjectGraph, by: AirflowSettings['groupBy']): string[] {
  if (by === 'none') return [];
  const folders = node.path.split('/').slice(0, -1).map(safeId);
  if (by === 'folder') return folders;
  const source = node.resourceType === 'landing' ? graph.manifest.sources[String(node.extra?.sourceId)] : undefined;
  const custom = source ? source.schema : (node.config.schema ?? node.config.target_schema);
  if (typeof custom === 'string' && custom) return [safeId(custom)];
  return folders.slice(0, 1);
}

/**
 * `strata build --select` of exactly one node: its resource type, its file and its fqn, intersected (a name alone can
 * be the package's name, an fqn prefix can be a folder). Landing nodes share their YAML file, so the fqn decides.
 */
export function nodeSelector(node: ManifestNode): string {
  const atoms = [`resource_type:${node.resourceType}`];
  if (node.resourceType !== 'landing' && !/[\s,]/.test(node.originalFilePath)) atoms.push(`path:${node.originalFilePath}`);
  atoms.push(node.resourceType === 'test' || node.resourceType === 'unit_test' ? node.name : node.fqn.join('.'));
  return atoms.join(',');
}

/** Selection flags of the DAG, for the tasks that run the whole selection. */
function selectionArgs(s: AirflowSettings): string[] {
  return [...(s.select?.length ? ['--select', ...s.select] : []), ...(s.exclude?.length ? ['--exclude', ...s.exclude] : []), ...(s.selector ? ['--selector', s.selector] : [])];
}

/** The tasks of a DAG: graph + selected ids + settings → tasks with their commands, outlets and upstream tasks. Pure. */
export function planTasks(graph: ProjectGraph, selected: string[], settings: AirflowSettings, target: TargetInfo): AirflowPlan {
  const { manifest } = graph;
  const outletOf = (node: ManifestNode): string => relationUri({ database: node.database, schema: node.schema, identifier: node.alias }, target, settings.projectDir);
  const taskNodes = selected.map((id) => manifest.nodes[id]).filter(isTaskNode);
  const tasks: PlannedTask[] = [];
  const taken = new Set<string>();
  const unique = (name: string): string => {
    let id = name;
    for (let i = 2; taken.has(id); i++) id = `${name}_${i}`;
    taken.add(id);
    return id;
  };
  const parse = settings.parseTask ? unique('strata_parse') : undefined;
  if (parse) tasks.push({ taskId: parse, kind: 'parse', group: [], args: ['parse'], outlets: [], upstream: [] });
  if (settings.testBehavior === 'build') {
    tasks.push({ taskId: unique('strata_build'), kind: 'build', group: [], args: ['build', ...selectionArgs(settings)], outlets: taskNodes.map(outletOf), upstream: parse ? [parse] : [] });
    return { projectName: manifest.projectName, adapterType: target.type, tasks };
  }
  const taskOf = new Map<string, string>();
  for (const node of taskNodes) taskOf.set(node.uniqueId, unique(taskName(node, graph)));
  const upstreamOf = upstreamResolver(graph, taskOf);
  const indirect = settings.testBehavior === 'after_each' ? 'buildable' : 'empty';
  const unitTests = settings.testBehavior === 'after_all' ? unitTestsByModel(graph, selected, taskOf) : new Map<string, string[]>();
  for (const node of taskNodes) {
    const upstream = [...upstreamOf(node.uniqueId, true)].map((id) => taskOf.get(id)!);
    const own = (unitTests.get(node.uniqueId) ?? []).map((id) => nodeSelector(manifest.nodes[id]!));
    tasks.push({
      taskId: taskOf.get(node.uniqueId)!,
      kind: node.resourceType as TaskKind,
      uniqueId: node.uniqueId,
      group: groupOf(node, graph, settings.groupBy),
      args: ['build', '--select', nodeSelector(node), ...own, '--indirect-selection', indirect],
      outlets: [outletOf(node)],
      upstream: upstream.length ? upstream.sort() : parse ? [parse] : [],
    });
  }
  if (settings.testBehavior === 'after_each') tasks.push(...detachedTests(graph, selected, taskOf, upstreamOf, settings, unique, parse));
  if (settings.testBehavior === 'after_all') {
    // Unit tests run in their model's task, before it (build's order); one whose model has no task gets its own.
    tasks.push(...detachedTests(graph, selected.filter((id) => manifest.nodes[id]?.resourceType === 'unit_test'), taskOf, upstreamOf, settings, unique, parse));
    const hasChild = new Set(tasks.flatMap((t) => t.upstream));
    const leaves = tasks.filter((t) => !hasChild.has(t.taskId)).map((t) => t.taskId);
    tasks.push({ taskId: unique('strata_test'), kind: 'test', group: [], args: ['test', ...selectionArgs(settings), '--exclude-resource-type', 'unit_test'], outlets: [], upstream: leaves.sort() });
  }
  return { projectName: manifest.projectName, adapterType: target.type, tasks };
}

/**
 * The nodes with tasks that a node waits for: its parents that have tasks, and through every parent without one
 * (ephemeral models, sources, nodes left out of the selection) that parent's own, as dbt keeps paths when it takes a
 * subgraph. With `self` false a node with a task answers itself.
 */
function upstreamResolver(graph: ProjectGraph, taskOf: Map<string, string>): (id: string, self: boolean) => Set<string> {
  const memo = new Map<string, Set<string>>();
  const resolve = (id: string, self: boolean): Set<string> => {
    if (!self && taskOf.has(id)) return new Set([id]);
    const known = memo.get(id);
    if (known) return known;
    const out = new Set<string>();
    memo.set(id, out);
    for (const p of graph.parentMap[id] ?? []) for (const u of resolve(p, false)) out.add(u);
    return out;
  };
  return resolve;
}

/** after_all: the selected unit tests of each model with a task, which that task builds before the model. */
function unitTestsByModel(graph: ProjectGraph, selected: string[], taskOf: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of selected) {
    if (graph.manifest.nodes[id]?.resourceType !== 'unit_test') continue;
    const home = homeTask(graph, id, taskOf);
    if (home !== undefined) out.set(home, [...out.get(home) ?? [], id]);
  }
  return out;
}

/** after_each (every test) and after_all (unit tests): a test whose parents do not all lie on one parent's path runs as a task of its own, after its parents' tasks. */
function detachedTests(graph: ProjectGraph, selected: string[], taskOf: Map<string, string>, upstreamOf: (id: string, self: boolean) => Set<string>, settings: AirflowSettings, unique: (n: string) => string, parse: string | undefined): PlannedTask[] {
  const out: PlannedTask[] = [];
  for (const id of selected) {
    const test = graph.manifest.nodes[id];
    if (!test || (test.resourceType !== 'test' && test.resourceType !== 'unit_test')) continue;
    if (homeTask(graph, id, taskOf) !== undefined) continue;
    const upstream = [...testUpstream(graph, id, taskOf, upstreamOf)].map((n) => taskOf.get(n)!).sort();
    const lastParent = [...graph.parentMap[id] ?? []].reverse().map((p) => graph.manifest.nodes[p]).find(isTaskNode);
    out.push({
      taskId: unique(taskName(test, graph)),
      kind: 'test',
      uniqueId: id,
      group: lastParent ? groupOf(lastParent, graph, settings.groupBy) : [],
      args: ['test', '--select', nodeSelector(test)],
      outlets: [],
      upstream: upstream.length ? upstream : parse ? [parse] : [],
    });
  }
  return out;
}
