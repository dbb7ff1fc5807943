import type { Adapter, AdapterCommand, AdapterConventions, AdapterMacroFile, Capabilities } from './contract.js';
import type { TargetConfig } from '../project/types.js';
import { duckdbConventions } from './duckdb/duckdb-conventions.js';
import { bigqueryConventions } from './bigquery/bigquery-conventions.js';

/**
 * The warehouses Strata knows. Conventions (macros, profile rules: plain data) are imported now; adapters
 * load on demand: importing the BigQuery client costs hundreds of milliseconds and a DuckDB user should
 * never pay it. A new warehouse is a folder under adapters/ and one entry here.
 */
const registered: { conventions: AdapterConventions; load: () => Promise<Adapter> }[] = [
  { conventions: duckdbConventions, load: async () => (await import('./duckdb/duckdb-adapter.js')).duckdbAdapter },
  { conventions: bigqueryConventions, load: async () => (await import('./bigquery/bigquery-adapter.js')).bigqueryAdapter },
];

export const adapterTypes = registered.map((r) => r.conventions.type);

export async function loadAdapter(type: string): Promise<Adapter | undefined> {
  return registered.find((r) => r.conventions.type === type)?.load();
}

/** Every warehouse's conventions, in registry order. */
export function allConventions(): AdapterConventions[] {
  return registered.map((r) => r.conventions);
}

/** The warehouse types with a capability (loads their adapters: for hints, not for hot paths). */
export async function adapterTypesWith(capability: keyof Capabilities): Promise<string[]> {
  const adapters = await Promise.all(registered.map((r) => r.load()));
  return adapters.filter((a) => a.dialect.capabilities[capability]).map((a) => a.type);
}

/** A warehouse's conventions, without loading it. */
export function conventionsOf(type: string): AdapterConventions | undefined {
  return registered.find((r) => r.conventions.type === type)?.conventions;
}

/** Every warehouse's macro files: a unit test renders for the embedded warehouse whatever the target. */
export function adapterMacroFiles(): AdapterMacroFile[] {
  return registered.flatMap((r) => r.conventions.macroFiles);
}

/** The warehouse embedded in this process: unit tests run on it; a project with no profile builds on it. */
export function embeddedConventions(): AdapterConventions & { embedded: NonNullable<AdapterConventions['embedded']> } {
  const found = registered.find((r) => r.conventions.embedded)?.conventions;
  if (!found?.embedded) throw new Error('no embedded adapter is registered');
  return found as AdapterConventions & { embedded: NonNullable<AdapterConventions['embedded']> };
}

/** Commands the warehouses add to the CLI. */
export function adapterCommands(): AdapterCommand[] {
  return registered.flatMap((r) => r.conventions.commands ?? []);
}

/** profiles.yml rules of every warehouse, for project/ (which imports no adapter). */
export const targetRules = {
  types: adapterTypes,
  zeroSetupTarget: (profileName: string): TargetConfig => embeddedConventions().embedded.zeroSetupTarget(profileName),
  targetNames: (type: string, settings: Record<string, unknown>): { schema: string; database?: string } =>
    conventionsOf(type)?.targetNames(settings) ?? { schema: String(settings.schema ?? ''), ...(settings.database !== undefined ? { database: String(settings.database) } : {}) },
  templateDatabase: (type: string, settings: Record<string, unknown>): string | undefined => conventionsOf(type)?.templateDatabase?.(settings),
};
