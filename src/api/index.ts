/** Strata's library API: what the CLI, Airflow and tests call. Never prints, never exits. */
export { runCommand, type RunKind, type RunCommandOptions } from './run-command.js';
export { compile, type CompileOptions, type CompileResult } from './compile-command.js';
export { list, type ListOptions } from './list-command.js';
export { parse, type ParseResult } from './parse-command.js';
export { debug, type DebugCheck } from './debug-command.js';
export { clean } from './clean-command.js';
export { deps } from './deps-command.js';
export { init } from './init-command.js';
export { prepareProject, type PreparedProject } from './prepare.js';
export type { CommonOptions, RunOptions, SelectionOptions, CommandResult, ExitCode } from './types.js';
export type { SeedSample } from './seed-samples.js';

import { runCommand, type RunCommandOptions } from './run-command.js';
import type { CommandResult } from './types.js';

export const build = (o: RunCommandOptions): Promise<CommandResult> => runCommand('build', o);
export const run = (o: RunCommandOptions): Promise<CommandResult> => runCommand('run', o);
export const seed = (o: RunCommandOptions): Promise<CommandResult> => runCommand('seed', o);
export const test = (o: RunCommandOptions): Promise<CommandResult> => runCommand('test', o);
export const land = (o: RunCommandOptions): Promise<CommandResult> => runCommand('land', o);
export const snapshot = (o: RunCommandOptions): Promise<CommandResult> => runCommand('snapshot', o);
export { sourceFreshness } from './freshness-command.js';
export { clone, type CloneOptions } from './clone-command.js';
export { runOperation, type RunOperationOptions } from './run-operation.js';
export { retry } from './retry-command.js';
export { show, type ShowOptions, type ShowPreview } from './show-command.js';
export { docsGenerate, type DocsGenerateResult } from './docs-command.js';
export { columnLineage, lineageOfColumn, type ColumnLineageOptions, type ColumnLineageResult } from './lineage-command.js';
export type { LineageArtifact, NodeLineage, ColumnEdge, UsageEdge, EdgeKind, UsageKind, LineageStatus } from '../lineage/index.js';
export { docsServe, type DocsServeOptions } from './docs-serve-command.js';
export { plan, type PlanOptions, type PlanResult, type PlannedNode } from './plan-command.js';
export { airflowDag, type AirflowOptions, type AirflowResult } from './airflow-command.js';
/** The warehouses Strata has adapters for: their names, conventions and the commands they add to the CLI. */
export { adapterCommands, allConventions, embeddedConventions } from './conventions.js';
export type { AdapterCommand, AdapterConventions } from '../adapters/contract.js';
