/**
 * dbt's package hub API, as dbt's registry client reads it: `<hub>/api/v1/index.json` (the list of
 * `org/name`s) and `<hub>/api/v1/<org>/<name>.json` (`{ name, namespace, versions: { "1.3.0": { name,
 * packages, downloads: { tarball, sha1? }, require_dbt_version? } } }`). The hub is `DBT_PACKAGE_HUB_URL`,
 * so a company mirror or a test server on the loopback stands in for dbt's public hub.
 */

/** dbt's public hub; `DBT_PACKAGE_HUB_URL` overrides it. */
export const DEFAULT_HUB_URL = 'https://hub.getdbt.com/';

export interface HubVersion {
  /** The project name the package installs as (`dbt_utils`). */
  name: string;
  /** Its own dependencies, as a packages.yml lists them. */
  packages: Record<string, unknown>[];
  downloads: { tarball: string; sha1?: string };
  require_dbt_version?: unknown;
}

/** A hub request that failed: `kind` tells the user what to fix. */
export class HubError extends Error {
  constructor(readonly kind: 'unreachable' | 'not-found' | 'invalid', message: string) {
    super(message);
  }
}

export function hubUrl(env: NodeJS.ProcessEnv): string {
  const url = env.DBT_PACKAGE_HUB_URL || DEFAULT_HUB_URL;
  return url.endsWith('/') ? url : `${url}/`;
}

async function getJson(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new HubError('unreachable', `${url} could not be reached (${cause?.code ?? cause?.message ?? (e as Error).message})`);
  }
  if (response.status === 404) throw new HubError('not-found', `${url} answered 404`);
  if (!response.ok) throw new HubError('unreachable', `${url} answered ${response.status} ${response.statusText}`);
  try {
    return await response.json();
  } catch {
    throw new HubError('invalid', `${url} did not answer JSON`);
  }
}

/** Reads the hub, each document once per invocation. */
export class HubClient {
  private readonly cache = new Map<string, Promise<unknown>>();
  constructor(readonly baseUrl: string) {}

  private get(path: string): Promise<unknown> {
    let hit = this.cache.get(path);
    if (!hit) this.cache.set(path, (hit = getJson(`${this.baseUrl}api/v1/${path}.json`)));
    return hit;
  }

  /** Every version of `org/name` the hub has, by version string. */
  async versions(pkg: string): Promise<Record<string, HubVersion>> {
    // A mirror without an index (404) is asked for the package itself.
    const index = await this.get('index').catch((e: unknown) => {
      if (e instanceof HubError && e.kind === 'not-found') return undefined;
      throw e;
    });
    if (Array.isArray(index) && !index.includes(pkg)) throw new HubError('not-found', `${pkg} is not in ${this.baseUrl}api/v1/index.json`);
    const doc = (await this.get(pkg)) as { versions?: unknown } | null;
    const versions = doc && typeof doc === 'object' ? doc.versions : undefined;
    if (!versions || typeof versions !== 'object') throw new HubError('invalid', `${this.baseUrl}api/v1/${pkg}.json has no versions`);
    for (const [v, meta] of Object.entries(versions as Record<string, unknown>)) {
      const m = meta as Partial<HubVersion> | null;
      if (!m || typeof m.name !== 'string' || typeof m.downloads?.tarball !== 'string') throw new HubError('invalid', `version ${v} in ${this.baseUrl}api/v1/${pkg}.json lacks name or downloads.tarball`);
    }
    return versions as Record<string, HubVersion>;
  }
}

/** Downloads a file (a package tarball) into memory. */
export async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new HubError('unreachable', `${url} could not be downloaded (${cause?.code ?? cause?.message ?? (e as Error).message})`);
  }
  if (!response.ok) throw new HubError(response.status === 404 ? 'not-found' : 'unreachable', `${url} answered ${response.status} ${response.statusText}`);
  return Buffer.from(await response.arrayBuffer());
}
