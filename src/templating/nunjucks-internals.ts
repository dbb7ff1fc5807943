/** The parts of nunjucks' parser and compiler that python-syntax.ts and python-statements.ts patch (types only). */
export type Node = { typename?: string; value?: unknown; children: Node[]; [k: string]: unknown };
export type Compiler = {
  compile(node: unknown, frame: unknown): void;
  _emit(code: string): void;
  _emitLine(code: string): void;
  _tmpid(): string;
  _compileExpression(node: unknown, frame: unknown): void;
  _compileAggregate(node: unknown, frame: unknown, open: string, close: string): void;
};
export type Frame = { push(): Frame; lookup(name: string): string | undefined; set(name: string, id: string): void };
export type Nodes = Record<string, new (...a: unknown[]) => Node>;

export type Token = { type: string; value: string; lineno: number; colno: number };
export type Parser = {
  peekToken(): Token;
  nextToken(): Token;
  skipSymbol(s: string): boolean;
  skip(t: string): boolean;
  skipValue(t: string, v: string): boolean;
  fail(m: string, l?: number, c?: number): never;
  parsePrimary(): Node;
  parseExpression(): Node;
  parseCompare(): Node;
  parseUntilBlocks(...b: string[]): Node;
  advanceAfterBlockEnd(v?: string): void;
};
