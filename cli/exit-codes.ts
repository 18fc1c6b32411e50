/** cli.md: one meaning each. */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  unreachable: 3,
} as const;

/** An input error the user can fix: printed as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
