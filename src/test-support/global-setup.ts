/**
 * vitest global setup: starts loopback services once for the whole run and shares their
 * addresses with test workers through `provide`. Services register here as they are added.
 */
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardowns: (() => Promise<void>)[] = [];
  void project;
  return async () => {
    for (const t of teardowns.reverse()) await t();
  };
}
