/** The template's syntax tree, as Jinja2's parser builds it (nodes.py), reduced to what dbt templates use. */
export type Expr =
  | { t: 'const'; value: unknown; line: number }
  | { t: 'name'; name: string; line: number }
  | { t: 'tuple'; items: Expr[]; line: number }
  | { t: 'list'; items: Expr[]; line: number }
  | { t: 'dict'; items: [Expr, Expr][]; line: number }
  | { t: 'getattr'; obj: Expr; attr: string; line: number }
  | { t: 'getitem'; obj: Expr; key: Expr; line: number }
  | { t: 'slice'; start?: Expr; stop?: Expr; step?: Expr; line: number }
  | { t: 'call'; fn: Expr; args: Expr[]; kwargs: [string, Expr][]; star?: Expr; dstar?: Expr; line: number }
  | { t: 'filter'; name: string; node: Expr | null; args: Expr[]; kwargs: [string, Expr][]; star?: Expr; dstar?: Expr; line: number }
  | { t: 'test'; name: string; node: Expr; args: Expr[]; kwargs: [string, Expr][]; negated: boolean; line: number }
  | { t: 'bin'; op: string; left: Expr; right: Expr; line: number }
  | { t: 'unary'; op: '-' | '+' | 'not'; node: Expr; line: number }
  | { t: 'compare'; first: Expr; ops: [string, Expr][]; line: number }
  | { t: 'and' | 'or'; left: Expr; right: Expr; line: number }
  | { t: 'concat'; items: Expr[]; line: number }
  | { t: 'cond'; test: Expr; then: Expr; else?: Expr; line: number };

/** An assignment target: a name, a tuple of targets, or `ns.attr`. */
export type Target = { t: 'name'; name: string } | { t: 'tuple'; items: Target[] } | { t: 'nsattr'; name: string; attr: string };

export interface MacroDef {
  name: string;
  params: { name: string; default?: Expr }[];
  body: Stmt[];
  line: number;
}

export type Stmt =
  | { t: 'data'; text: string; line: number }
  | { t: 'output'; expr: Expr; line: number }
  | { t: 'if'; tests: { test: Expr; body: Stmt[] }[]; else?: Stmt[]; line: number }
  | { t: 'for'; target: Target; iter: Expr; body: Stmt[]; else?: Stmt[]; filter?: Expr; recursive: boolean; line: number }
  | { t: 'set'; target: Target; value: Expr; line: number }
  | { t: 'setblock'; target: Target; body: Stmt[]; filters: Expr[]; line: number }
  | { t: 'macro'; def: MacroDef; line: number }
  | { t: 'callblock'; call: Expr; def: MacroDef; line: number }
  | { t: 'filterblock'; filters: Expr[]; body: Stmt[]; line: number }
  | { t: 'do'; expr: Expr; line: number }
  | { t: 'with'; targets: [Target, Expr][]; body: Stmt[]; line: number }
  | { t: 'break' | 'continue'; line: number }
  | { t: 'skip'; line: number };
