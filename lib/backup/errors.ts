/** A backup, restore or verification that cannot go on; the message says what, where and what to do. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
  /** One line per problem found, safe to print (paths and kinds, never values). */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = []) {
    super(problems.length > 0 ? `${message}\n  - ${problems.join('\n  - ')}` : message);
    this.problems = problems;
  }
}
