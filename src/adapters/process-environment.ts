import { availableParallelism } from 'node:os';
import { allConventions } from './registry.js';

/**
 * Gives the variables warehouses' libraries read when they load (their conventions' `processEnvironment`)
 * the warehouses' values, in `env`, where the user has not set them (set to nothing, a variable keeps the
 * library's own options). For a `strata` process, before any warehouse's library is loaded: a program using
 * the library API keeps its own process's settings.
 */
export function applyWarehouseProcessEnvironment(env: NodeJS.ProcessEnv = process.env, cpus = availableParallelism()): void {
  for (const c of allConventions()) {
    for (const [name, value] of Object.entries(c.processEnvironment?.(cpus) ?? {})) {
      if (env[name] === undefined) env[name] = value;
    }
  }
}

/** Those variables that are set in `env`, with their values (the log names what a command ran with). */
export function warehouseProcessVariables(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const names = allConventions().flatMap((c) => Object.keys(c.processEnvironment?.(1) ?? {}));
  return Object.fromEntries(names.filter((n) => env[n] !== undefined).map((n) => [n, env[n]!]));
}
