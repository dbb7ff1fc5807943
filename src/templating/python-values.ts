/**
 * Python's view of values (`str()`, `repr()`, `%` and `str.format`, `json.dumps`, truthiness), for code
 * outside the template engine (dbt's test names and hashes), where a JS array of format values is a tuple
 * and JS `undefined` is None. One implementation: the engine's.
 */
import { str, tuple } from './jinja/values.js';
import { percentFormat as enginePercentFormat } from './jinja/formatting.js';

export { reprString, repr as pyRepr, tuple as pyTuple, truthy as pyTruthy } from './jinja/values.js';
export { pyFormat, pyModulo } from './jinja/formatting.js';
export { pyJsonDumps } from './jinja/json.js';

export const pyStr = (v: unknown): string => (v === undefined ? 'None' : str(v));

export const percentFormat = (format: string, values: unknown): string => enginePercentFormat(format, Array.isArray(values) ? tuple([...values]) : values);

