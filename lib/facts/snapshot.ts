/** Facts gathered once per host per phase; checks and resources read them, never the host. */
export class FactMissingError extends Error {
  constructor(key: string) {
    super(`fact "${key}" was not gathered: the check must declare it in \`needs\``);
    this.name = 'FactMissingError';
  }
}

export class FactSnapshot {
  readonly #values = new Map<string, unknown>();

  set(key: string, value: unknown): void {
    this.#values.set(key, value);
  }

  has(key: string): boolean {
    return this.#values.has(key);
  }

  get<T>(key: string): T {
    if (!this.#values.has(key)) throw new FactMissingError(key);
    const value = this.#values.get(key);
    if (value instanceof FactError) throw value;
    return value as T;
  }

  keys(): string[] {
    return [...this.#values.keys()];
  }
}

/** A fact whose probe failed; reading it throws, so the check that needs it reports `error`. */
export class FactError extends Error {
  constructor(key: string, reason: string) {
    super(`could not read ${key}: ${reason}`);
    this.name = 'FactError';
  }
}
