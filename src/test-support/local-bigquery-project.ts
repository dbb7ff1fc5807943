/**
 * One local BigQuery server and one fixture project on it, for the tests of one describe block; and the
 * `profiles.yml` text that points a project at it.
 */
import { afterAll, beforeAll } from 'vitest';
import { startLocalBigQuery, type LocalBigQuery } from '../adapters/bigquery/local/local-bigquery-server.js';
import { writeProject, removeProject } from './fixture-project.js';

/** One BigQuery output of a profile, on the local server: what varies between fixture projects. */
export interface BigQueryOutputOptions {
  endpoint: string;
  project: string;
  dataset: string;
  /** The oauth-secrets token (a test checking that it is never written names its own). */
  token?: string;
  threads?: number;
  /** More keys of the output (priority, labels, …), written as given, one per line. */
  extra?: Record<string, string | number>;
}

/** The YAML of one output under a profile's `outputs:` (indented for it), type bigquery, location EU. */
export function bigQueryOutput(name: string, o: BigQueryOutputOptions): string {
  const keys: Record<string, string | number> = {
    type: 'bigquery', method: 'oauth-secrets', token: o.token ?? 'local-token', project: o.project, dataset: o.dataset,
    location: 'EU', threads: o.threads ?? 1, ...o.extra, api_endpoint: o.endpoint,
  };
  return `    ${name}:\n${Object.entries(keys).map(([k, v]) => `      ${k}: ${v}\n`).join('')}`;
}

/** A whole `profiles.yml`: the profile, its target, then the outputs (from `bigQueryOutput`, or any other). */
export function bigQueryProfile(profile: string, target: string, ...outputs: string[]): string {
  return `${profile}:\n  target: ${target}\n  outputs:\n${outputs.join('')}`;
}

/** What `useLocalBigQuery` hands over once the server is up. */
export interface LocalBigQueryProject {
  bq: LocalBigQuery;
  /** The project folder, or '' when no files were given. */
  dir: string;
}

/**
 * Starts a local BigQuery before the describe block's tests and writes the project `files(endpoint)` gives
 * (written as they are: the files name their own project.yml and profiles.yml); hands both to `started`.
 * After the tests the server is closed and the folder removed.
 */
export function useLocalBigQuery(files: ((endpoint: string) => Record<string, string>) | undefined, started: (local: LocalBigQueryProject) => void): void {
  let local: LocalBigQueryProject | undefined;
  beforeAll(async () => {
    const bq = await startLocalBigQuery();
    local = { bq, dir: '' };
    local.dir = files ? writeProject(files(bq.endpoint), false) : '';
    started(local);
  });
  afterAll(async () => {
    await local?.bq.close();
    if (local?.dir) removeProject(local.dir);
  });
}
