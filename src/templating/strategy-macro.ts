/** dbt's name for the macro that carries out an incremental strategy: `get_incremental_<strategy>_sql`, a `+` read as `_`. */
export function strategyMacroName(strategy: string): string {
  return `get_incremental_${strategy.replace(/\+/g, '_')}_sql`;
}

/**
 * The macro an incremental model's strategy runs through, where dbt would call a macro that Strata's own code
 * does not stand for: a strategy the warehouse has no built-in for whose macro the project or a package defines
 * (dbt's custom strategies), or a built-in one (or `default`) whose macro the project or the model's package
 * redefines. Undefined: Strata's own strategy (or none: the config is checked elsewhere). `packageOf(name)`: the
 * package the model's templates take macro `name` from (`dbt` for Strata's copies of dbt's).
 */
export function strategyMacroOf(strategy: unknown, builtins: readonly string[], packageOf: (name: string) => string | undefined): string | undefined {
  if (typeof strategy !== 'string' || !strategy || strategy === 'microbatch' || strategy.includes('{{')) return undefined;
  const name = strategyMacroName(strategy);
  const pkg = packageOf(name);
  if (builtins.includes(strategy) || strategy === 'default') return pkg !== undefined && pkg !== 'dbt' ? name : undefined;
  return pkg === undefined ? undefined : name;
}
