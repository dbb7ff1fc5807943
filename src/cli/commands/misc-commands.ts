import { Command } from 'commander';
import { clean, debug, deps, init, runOperation } from '../../api/index.js';
import { withCommonFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

export function cleanCommand(): Command {
  return withCommonFlags(new Command('clean'))
    .description('delete the clean-targets folders (default: target/)')
    .action(async (flags: GlobalFlags) => {
      const { options, reporter } = commonOptions(flags);
      const result = await clean(options);
      for (const r of result.removed) reporter.emit({ type: 'info', message: `removed ${r}` });
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
}

export function debugCommand(): Command {
  return withCommonFlags(new Command('debug'))
    .description('check the project, the profile and the warehouse connection')
    .action(async (flags: GlobalFlags) => {
      const { options, reporter } = commonOptions(flags);
      const result = await debug(options);
      for (const c of result.checks) reporter.emit({ type: 'info', message: `${c.ok ? 'OK   ' : 'FAIL '} ${c.name.padEnd(10)} ${c.detail}` });
      reportDiagnostics(reporter, result.diagnostics);
      reporter.emit({ type: 'info', message: result.exitCode === 0 ? 'All checks passed!' : 'Some checks failed.' });
      process.exitCode = result.exitCode;
    });
}

export function initCommand(): Command {
  return new Command('init')
    .description('scaffold a new project that builds on DuckDB')
    .argument('<name>', 'project name (letters, digits, underscores)')
    .option('--dir <dir>', 'parent folder (default: current folder)')
    .action((name: string, flags: { dir?: string }) => {
      const { reporter } = commonOptions({});
      const result = init({ name, dir: flags.dir });
      for (const f of result.created) reporter.emit({ type: 'info', message: `created ${name}/${f}` });
      reportDiagnostics(reporter, result.diagnostics);
      if (result.exitCode === 0) reporter.emit({ type: 'info', message: `Next: cd ${name} && strata build` });
      process.exitCode = result.exitCode;
    });
}

export function runOperationCommand(): Command {
  return withCommonFlags(new Command('run-operation'))
    .description("call a macro with the warehouse open (what it runs runs; what it renders is dropped)")
    .argument('<macro>', 'the macro, or package.macro')
    .option('--args <yaml>', "the macro's arguments by name, as YAML or JSON: '{days: 7}'")
    .action(async (macro: string, flags: GlobalFlags & { args?: string }) => {
      const { options, reporter } = commonOptions(flags);
      const result = await runOperation({ ...options, macro, args: flags.args });
      reportDiagnostics(reporter, result.diagnostics);
      if (result.exitCode === 0) reporter.emit({ type: 'info', message: `run-operation ${macro} OK` });
      process.exitCode = result.exitCode;
    });
}

/** `strata deps`: installs the project's packages. */
export function depsCommand(): Command {
  return withCommonFlags(new Command('deps'))
    .description('install the local: and git: packages of packages.yml into dbt_packages/ (their macros are loaded)')
    .action(async (flags: GlobalFlags) => {
      const { options, reporter } = commonOptions(flags);
      const result = await deps(options);
      for (const name of result.installed) reporter.emit({ type: 'info', message: `Installed ${name}` });
      reportDiagnostics(reporter, result.diagnostics);
      if (result.exitCode === 0 && !result.installed.length) reporter.emit({ type: 'info', message: 'No packages to install.' });
      process.exitCode = result.exitCode;
    });
}
