/**
 * A package hub of a test's own on 127.0.0.1, answering dbt's hub API (`/api/v1/index.json`,
 * `/api/v1/<org>/<name>.json`) and serving the package tarballs it lists, built from fixture folders.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface HubPackageVersion {
  /** `org/name` as packages.yml names it. */
  hubName: string;
  version: string;
  /** The project name inside (dbt_project.yml `name`). */
  name: string;
  /** Files of the package besides dbt_project.yml. */
  files: Record<string, string>;
  /** Its own dependencies, as its packages.yml (and the hub's `packages`) lists them. */
  packages?: Record<string, unknown>[];
  requireDbtVersion?: string[];
  /** A sha1 the hub announces instead of the tarball's real one. */
  wrongSha1?: boolean;
}

export class PackageHub {
  private readonly versions: HubPackageVersion[] = [];
  private readonly tarballs = new Map<string, Buffer>();
  private server?: Server;
  readonly work = mkdtempSync(join(tmpdir(), 'strata-hub-'));
  /** Answer 404 for index.json, as a mirror serving only package documents may. */
  noIndex = false;
  /** Every path requested, in order. */
  readonly requests: string[] = [];
  url = '';

  /** Adds a version: builds its tarball as GitHub does (one top folder). */
  add(v: HubPackageVersion): void {
    const top = join(this.work, `${v.name}-${v.version}`, `${v.hubName.replace('/', '-')}-${v.version}`);
    const files: Record<string, string> = {
      'dbt_project.yml': `name: ${v.name}\nversion: '${v.version}'\nconfig-version: 2\n${v.requireDbtVersion ? `require-dbt-version: ${JSON.stringify(v.requireDbtVersion)}\n` : ''}`,
      ...(v.packages ? { 'packages.yml': `packages: ${JSON.stringify(v.packages)}\n` } : {}),
      ...v.files,
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(top, rel)), { recursive: true });
      writeFileSync(join(top, rel), text);
    }
    const file = join(this.work, `${v.name}-${v.version}.tar.gz`);
    execFileSync('tar', ['-czf', file, '-C', dirname(top), `${v.hubName.replace('/', '-')}-${v.version}`]);
    this.tarballs.set(`/tarballs/${v.hubName}/${v.version}.tar.gz`, readFileSync(file));
    this.versions.push(v);
  }

  private packageJson(hubName: string): unknown {
    const mine = this.versions.filter((v) => v.hubName === hubName);
    if (!mine.length) return undefined;
    const [namespace, name] = hubName.split('/');
    return {
      name, namespace, latest: mine.at(-1)!.version,
      versions: Object.fromEntries(mine.map((v) => {
        const tar = this.tarballs.get(`/tarballs/${hubName}/${v.version}.tar.gz`)!;
        const sha1 = v.wrongSha1 ? '0'.repeat(40) : createHash('sha1').update(tar).digest('hex');
        return [v.version, { id: `${hubName}/${v.version}`, name: v.name, version: v.version, packages: v.packages ?? [], require_dbt_version: v.requireDbtVersion ?? [], works_with: [], downloads: { tarball: `${this.url}/tarballs/${hubName}/${v.version}.tar.gz`, format: 'tgz', sha1 } }];
      })),
    };
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      this.requests.push(path);
      const send = (status: number, body: string | Buffer, type = 'application/json'): void => {
        res.writeHead(status, { 'content-type': type });
        res.end(body);
      };
      if (path === '/api/v1/index.json' && !this.noIndex) return send(200, JSON.stringify([...new Set(this.versions.map((v) => v.hubName))]));
      const m = /^\/api\/v1\/(.+)\.json$/.exec(path);
      if (m) {
        const doc = this.packageJson(m[1]!);
        return doc ? send(200, JSON.stringify(doc)) : send(404, '{"error":"not found"}');
      }
      const tar = this.tarballs.get(path);
      return tar ? send(200, tar, 'application/gzip') : send(404, 'not found', 'text/plain');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.work, { recursive: true, force: true });
  }
}
