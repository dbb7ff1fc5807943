/** on_schema_change='fail' stops the model with dbt's words (its adapter suite looks for "Compilation Error"), the old table kept. */
import { describe, it, expect } from 'vitest';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { run } from '../api/index.js';

const project = duckDbProjectsRemovedAfterAll();
const model = (columns: string): string => `{{ config(materialized='incremental', on_schema_change='fail') }}\nselect ${columns}`;

describe("on_schema_change='fail'", () => {
  it('reports the columns out of sync in dbt wording, and leaves the table as it was', async () => {
    const p = project({ 'models/shipments.sql': model("1 as shipment_id, 'open' as state") });
    expect((await run({ projectDir: p.dir, profilesDir: p.dir })).exitCode).toBe(0);
    p.write('models/shipments.sql', model('1 as shipment_id, 2.5 as weight_kg'));
    const r = await run({ projectDir: p.dir, profilesDir: p.dir });
    expect(r.exitCode).toBe(1);
    const message = r.results[0]!.message;
    expect(message).toContain("Compilation Error in model shipments: The source and target schemas on this incremental model are out of sync! Source columns not in target: ['weight_kg']; target columns not in source: ['state']");
    expect(message).toContain('[incremental-invalid]');
    expect(message).toContain('models/shipments.sql');
    expect(await p.q('select * from main.shipments')).toEqual([{ shipment_id: 1, state: 'open' }]);
  });
});
