import { Command } from 'commander';
import { embeddedConventions } from '../../api/conventions.js';
import { withCommonFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

export function cleanCommand(): Command {
  return withCommonFlags(new Command('clean'))
    .description('delete the clean-targets folders (default: target/)')
    .action(async (flags: GlobalFlags) => {
      const { options, reporter } = commonOptions(flags);
      const result = await (await import('../../api/clean-command.js')).clean(options);
      for (const r of result.removed) reporter.emit({ type: 'info', message: `removed ${r}` });
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
}

export function debugCommand(): Command {
  return withCommonFlags(new Command('debug'))
    .description('check the project, the profile and the warehouse connection')
    .option('--connection', "check only the warehouse connection (dbt's debug --connection)")
    .action(async (flags: GlobalFlags & { connection?: boolean }) => {
      const { options, reporter } = commonOptions(flags);
      if (flags.connection) reporter.emit({ type: 'info', message: 'Skipping steps before connection verification' });
      const result = await (await import('../../api/debug-command.js')).debug({ ...options, connectionOnly: flags.connection === true });
      for (const c of result.checks) reporter.emit({ type: 'info', message: `${c.ok ? 'OK   ' : 'FAIL '} ${c.name.padEnd(10)} ${c.detail}` });
      reportDiagnostics(reporter, result.diagnostics);
      // dbt's summary line: `All checks passed!` or `1 check failed:`.
      const failed = result.checks.filter((c) => !c.ok).length || 1;
      reporter.emit({ type: 'info', message: result.exitCode === 0 ? 'All checks passed!' : `${failed} check${failed === 1 ? '' : 's'} failed.` });
      process.exitCode = result.exitCode;
    });
}

export function initCommand(): Command {
  return new Command('init')
    .description(`scaffold a new project that builds on ${embeddedConventions().displayName}`)
    .argument('<name>', 'project name (letters, digits, underscores)')
    .option('--dir <dir>', 'parent folder (default: current folder)')
    .option('--demo', "the bundled telecom demo (models, macros, seeds, snapshots, tests and its landing files) instead of a starter project")
    .action(async (name: string, flags: { dir?: string; demo?: boolean }) => {
      const { reporter } = commonOptions({});
      const result = (await import('../../api/init-command.js')).init({ name, dir: flags.dir, demo: flags.demo === true });
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
    .action(async function (this: Command, macro: string, flags: GlobalFlags & { args?: string }) {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return this.error(usageError, { exitCode: 2 });
      const result = await (await import('../../api/run-operation.js')).runOperation({ ...options, macro, args: flags.args });
      reportDiagnostics(reporter, result.diagnostics);
      if (result.exitCode === 0) reporter.emit({ type: 'info', message: `run-operation ${macro} OK` });
      process.exitCode = result.exitCode;
    });
}

/** `strata deps`: resolves the project's packages into package-lock.yml and installs them. */
export function depsCommand(): Command {
  return withCommonFlags(new Command('deps'))
    .description('resolve packages.yml (hub, git, local and tarball packages, and theirs) into package-lock.yml and install them into dbt_packages/')
    .option('--upgrade', 'resolve again even if package-lock.yml matches packages.yml')
    .option('--lock', 'write package-lock.yml only; install nothing')
    .option('--add-package <name@version>', 'add a package to packages.yml first (a hub package: org/name@version)')
    .option('--source <kind>', 'what --add-package names: hub, git, local or tarball', 'hub')
    .action(async (flags: GlobalFlags & { upgrade?: boolean; lock?: boolean; addPackage?: string; source?: string }) => {
      const { options, reporter } = commonOptions(flags);
      if (flags.source && !['hub', 'git', 'local', 'tarball'].includes(flags.source)) {
        reportDiagnostics(reporter, [{ code: 'usage', severity: 'error', message: `--source ${flags.source} is not a package source`, hint: 'use --source hub, git, local or tarball' }]);
        process.exitCode = 2;
        return;
      }
      const result = await (await import('../../api/deps-command.js')).deps({ ...options, upgrade: flags.upgrade, lock: flags.lock, addPackage: flags.addPackage, source: flags.source as 'hub' | 'git' | 'local' | 'tarball', versionCheck: flags.versionCheck });
      for (const message of result.messages) reporter.emit({ type: 'info', message });
      reportDiagnostics(reporter, result.diagnostics);
      process.exitCode = result.exitCode;
    });
}
