/**
 * dbt takes its global flags before the subcommand (`dbt --log-format json run`, `dbt --warn-error build`).
 * Strata's commands own their flags, so those written before the command are moved after it.
 */

/** Global flags that take a value. */
const WITH_VALUE = new Set(['--project-dir', '--profiles-dir', '-t', '--target', '--vars', '--threads', '--target-path', '--log-format', '--profile', '--log-level', '--log-path', '--log-level-file', '--state', '--warn-error-options']);

/** Global flags that take none. */
const SWITCHES = new Set(['-q', '--quiet', '--no-partial-parse', '--warn-error', '--no-version-check', '--use-colors', '--no-use-colors', '-d', '--debug', '--cache-selected-only', '--no-cache-selected-only']);

/** argv (`node strata …`) with the global flags written before the command moved to its end. */
export function hoistGlobalFlags(argv: string[]): string[] {
  const head = argv.slice(0, 2);
  const args = argv.slice(2);
  const moved: string[] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (WITH_VALUE.has(name)) {
      const take = a.includes('=') ? 1 : 2;
      moved.push(...args.slice(i, i + take));
      i += take;
    } else if (SWITCHES.has(a)) {
      moved.push(a);
      i++;
    } else break;
  }
  if (!moved.length || i >= args.length) return argv;
  const rest = args.slice(i);
  // Before a `--` that ends the options, if any; else at the end.
  const end = rest.indexOf('--');
  return end === -1 ? [...head, ...rest, ...moved] : [...head, ...rest.slice(0, end), ...moved, ...rest.slice(end)];
}

/** What `strata` with no command prints: the few commands a user starts with. */
export const SHORT_USAGE = `Usage: strata <command> [options]

  build     land, seed, build models and run tests, in graph order
  run       build the selected models          test      run data tests and unit tests
  compile   render SQL to target/compiled/     ls        list the selected nodes
  debug     check the project and connection   init      scaffold a new project

strata --help lists every command; strata <command> --help its options.
`;
