/** Where in an input file something is: 1-based line and column, and the dotted key. */
export interface SourceWhere {
  file: string;
  line?: number;
  column?: number;
  key?: string;
}

/**
 * An input file (playbook, inventory, vars file) that cannot be used as written. The message says
 * what is wrong and what to do; `describe()` is the one line the CLI prints (exit 2). When a file
 * has several problems, the first (in source order) is thrown and `all` holds every one.
 */
export class SourceError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly key: string | undefined;
  all: SourceError[];
  /** Input errors exit 2 (cli.md). */
  readonly exitCode = 2;

  constructor(message: string, where: SourceWhere) {
    super(message);
    this.name = 'SourceError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.key = where.key;
    this.all = [this];
  }

  /** `file:line:column: key: message`. */
  describeOne(): string {
    let place = this.file;
    if (this.line !== undefined) place += `:${this.line}`;
    if (this.line !== undefined && this.column !== undefined) place += `:${this.column}`;
    return this.key ? `${place}: ${this.key}: ${this.message}` : `${place}: ${this.message}`;
  }

  /** Every problem found, one per line. */
  describe(): string {
    return this.all.map((error) => error.describeOne()).join('\n');
  }
}

export type SourceErrorFactory = (message: string, where: SourceWhere) => SourceError;

/** Throws the first error in source order, carrying all of them; returns when the list is empty. */
export function throwAll(errors: SourceError[]): void {
  if (errors.length === 0) return;
  const sorted = [...errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const first = sorted[0]!;
  first.all = sorted;
  throw first;
}
