/**
 * A configuration file or value KafClaw would refuse. Carries where (file, line, column, key) and the
 * message says what to do; the CLI prints it as one line and exits 2, never with a stack trace.
 */
export class ConfigError extends Error {
  readonly path: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** Dotted key path (`tools.exec.timeout`, `channels.slack.accounts[0].id`) for type errors. */
  readonly key: string | undefined;

  constructor(message: string, where: { path: string; line?: number; column?: number; key?: string }) {
    super(message);
    this.name = 'ConfigError';
    this.path = where.path;
    this.line = where.line;
    this.column = where.column;
    this.key = where.key;
  }

  /** `file:line:column: key: message`, the form the CLI prints. */
  describe(): string {
    let where = this.path;
    if (this.line !== undefined) where += `:${this.line}`;
    if (this.line !== undefined && this.column !== undefined) where += `:${this.column}`;
    return this.key ? `${where}: ${this.key}: ${this.message}` : `${where}: ${this.message}`;
  }
}

export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof ConfigError;
}
