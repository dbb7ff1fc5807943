/** What the `packages/` stage produces: packages pinned to one version each, and what installing them did. */

/** A package pinned to one version: what the lock file records and where its files are. */
export interface PinnedPackage {
  /** The project name it installs as (its dbt_project.yml's `name`): the folder under dbt_packages/. */
  name: string;
  kind: 'hub' | 'git' | 'local' | 'tarball';
  /** Its entry in package-lock.yml, in dbt's shape (`package`/`version`, `git`/`revision`, `local`, `tarball`, and `name`). */
  lock: Record<string, unknown>;
  /** How the user knows it: `dbt-labs/dbt_utils`, a repository URL, a folder. */
  label: string;
  /** The fetched files (a clone, an unpacked tarball) or, for `local:`, the folder itself. Hub packages: after download. */
  dir?: string;
  /** A hub package: its newest version (this dbt supporting it) when newer than the one pinned. */
  latest?: string;
  /** A hub package's download. */
  download?: { tarball: string; sha1?: string };
  /** Who asked for it: `packages.yml` or packages' names. */
  requiredBy: string[];
}
