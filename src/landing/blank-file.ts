import { readFileSync, statSync } from 'node:fs';
import type { Dialect } from '../adapters/contract.js';
import type { SourceDefinition } from '../parse/types.js';
import { landingColumnsSql } from './ledger.js';

/**
 * Whether a landed JSON file is blank: nothing in it but whitespace, or an empty array. A day without
 * records: no rows, and no columns, for which a reader would invent one (DuckDB's `json`) that would then stay
 * in bronze for good. A Parquet file always carries its columns; an empty CSV file, without even its header,
 * is a broken export and fails by name (the strict CSV reader).
 */
export function isBlankFile(file: string, format: 'parquet' | 'csv' | 'json' | 'ndjson'): boolean {
  if ((format !== 'json' && format !== 'ndjson') || statSync(file).size > 4096) return false;
  const text = readFileSync(file, 'utf8').trim();
  return text === '' || /^\[\s*\]$/.test(text);
}

/** The source's columns declared with a `data_type` (its YAML `columns:`), in their order. */
export function declaredColumns(source: SourceDefinition): { name: string; dataType: string }[] {
  return Object.values(source.columns ?? {}).flatMap((c) => (c.dataType ? [{ name: c.name, dataType: c.dataType }] : []));
}

/**
 * The rows of a blank file: none, with `columns` (the source's declared ones, for a new bronze relation) and the
 * landing columns, so that a bronze relation made from it has those columns and no invented one.
 */
export function blankSelect(d: Dialect, columns: { name: string; dataType: string }[], uri: string, invocationId: string, now: string): string {
  const declared = columns.map((c) => `cast(null as ${c.dataType}) as ${d.quoteIdentifier(c.name)}`);
  return `select ${[...declared, landingColumnsSql(d, uri, now, invocationId)].join(', ')} limit 0`;
}

/** What a user is told when a blank file is all a source's bronze relation has been made from. */
export function blankFileWarning(label: string, key: string, relation: string): string {
  return `warning: ${label}: ${key} has no rows, and ${relation} has no columns of the source yet: models that read them fail until a file with rows lands; declare the source's columns with a data_type in its YAML file to have them from the first landing`;
}
