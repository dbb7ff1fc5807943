import type { ConstraintDef, ConstraintSupport, ContractDdl } from './contract.js';

/**
 * The inside of `create table t ( … )` for an enforced contract: one definition per column (type, `not null`,
 * a custom clause) and the table constraints (`primary key (…)`, `unique (…)`, `check (…)`, `foreign key (…)
 * references …`), each written as the warehouse supports it: `not enforced` appended where it keeps but does
 * not check it, left out where it has no such constraint. Column constraints other than not null and custom
 * become table constraints on that column, which every warehouse reads alike.
 */
export function contractDefinitions(contract: ContractDdl, support: ConstraintSupport, quote: (name: string) => string, options: { notEnforced: string; namedTypes: ConstraintDef['type'][] }): string[] {
  const usable = (c: ConstraintDef): boolean => support[c.type] !== 'unsupported' && (c.type !== 'foreign_key' || !!c.expression);
  const suffix = (c: ConstraintDef): string => (support[c.type] === 'not_enforced' ? ` ${options.notEnforced}` : '');
  const named = (c: ConstraintDef, body: string): string => (c.name && options.namedTypes.includes(c.type) ? `constraint ${quote(c.name)} ${body}` : body);
  const tableConstraint = (c: ConstraintDef, columns: string[]): string | undefined => {
    const cols = columns.map(quote).join(', ');
    switch (c.type) {
      case 'primary_key':
        return named(c, `primary key (${cols})${suffix(c)}`);
      case 'unique':
        return named(c, `unique (${cols})${suffix(c)}`);
      case 'check':
        return named(c, `check (${c.expression})${suffix(c)}`);
      case 'foreign_key':
        return named(c, `foreign key (${cols}) references ${c.expression}${suffix(c)}`);
      case 'custom':
        return c.expression;
      default:
        return undefined;
    }
  };
  const definitions: string[] = [];
  const tableLevel: string[] = [];
  for (const column of contract.columns) {
    let def = `${quote(column.name)} ${column.dataType}`;
    for (const c of column.constraints.filter(usable)) {
      if (c.type === 'not_null') def += ` not null${suffix(c)}`;
      else if (c.type === 'custom') def += ` ${c.expression}`;
      else tableLevel.push(tableConstraint(c, [column.name])!);
    }
    definitions.push(def);
  }
  for (const c of contract.constraints.filter(usable)) {
    if (c.type === 'not_null') continue;
    const clause = tableConstraint(c, c.columns ?? []);
    if (clause) tableLevel.push(clause);
  }
  return [...definitions, ...tableLevel];
}

/** Constraints a contract asks for that this warehouse will not create, with why (for a warning). */
export function skippedConstraints(contract: ContractDdl, support: ConstraintSupport, warehouse: string): { constraint: ConstraintDef; column?: string; reason: string }[] {
  const out: { constraint: ConstraintDef; column?: string; reason: string }[] = [];
  const check = (c: ConstraintDef, column?: string): void => {
    if (support[c.type] === 'unsupported') out.push({ constraint: c, column, reason: `${warehouse} does not support ${c.type} constraints here` });
    else if (c.type === 'foreign_key' && !c.expression) out.push({ constraint: c, column, reason: `its to: ${c.to ?? '(none)'} is not a ref() or source() of this project` });
  };
  for (const column of contract.columns) for (const c of column.constraints) check(c, column.name);
  for (const c of contract.constraints) check(c);
  return out;
}
