import { describe, it, expect } from 'vitest';
import { BigQueryJobError } from './bigquery-errors.js';

describe('BigQueryJobError', () => {
  it('tells how to write a NULL when a CSV load met the text null in a typed column', () => {
    const e = new BigQueryJobError({ reason: 'invalid', message: "Error while reading data, error message: Could not parse 'null' as INT64 for field x (position 1) on line 4" }, '', 'job_1');
    expect(e.describe()).toBe("Error while reading data, error message: Could not parse 'null' as INT64 for field x (position 1) on line 4 (a CSV load reads only an empty field as NULL: leave the field empty instead of writing null)");
    expect(new BigQueryJobError({ reason: 'invalid', message: "Could not parse 'abc' as INT64" }, '', 'job_2').describe()).toBe("Could not parse 'abc' as INT64");
  });
});
