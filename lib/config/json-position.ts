/**
 * Positions in JSON text: where a syntax error is, and on which line a key sits. A small strict
 * recursive-descent scanner (RFC 8259); values are parsed by JSON.parse, this only finds places.
 */
import type { KeySegments } from './key-path.js';
import { formatKeyPath } from './key-path.js';

export interface Position {
  line: number;
  column: number;
}

export interface JsonSyntaxIssue {
  offset: number;
  message: string;
}

/** 1-based line and column of a UTF-16 offset. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

class Scanner {
  index = 0;
  constructor(
    readonly text: string,
    readonly onKey: ((path: (string | number)[], offset: number) => void) | undefined,
  ) {}

  fail(message: string, offset = this.index): never {
    throw { offset, message } satisfies JsonSyntaxIssue;
  }

  describeHere(): string {
    if (this.index >= this.text.length) return 'unexpected end of file';
    return `unexpected ${JSON.stringify(this.text[this.index])}`;
  }

  skipSpace(): void {
    while (this.index < this.text.length) {
      const c = this.text.charCodeAt(this.index);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.index++;
      else break;
    }
  }

  value(path: (string | number)[]): void {
    this.skipSpace();
    const c = this.text[this.index];
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return void this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return;
      }
    }
    this.fail(`${this.describeHere()}, expected a value`);
  }

  object(path: (string | number)[]): void {
    this.index++;
    this.skipSpace();
    if (this.text[this.index] === '}') {
      this.index++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.index] !== '"') {
        this.fail(`${this.describeHere()}, expected a double-quoted property name (trailing commas are not allowed)`);
      }
      const keyOffset = this.index;
      const key = this.string();
      const keyPath = [...path, key];
      this.onKey?.(keyPath, keyOffset);
      this.skipSpace();
      if (this.text[this.index] !== ':') this.fail(`${this.describeHere()}, expected ':' after property name`);
      this.index++;
      this.value(keyPath);
      this.skipSpace();
      const next = this.text[this.index];
      if (next === ',') {
        this.index++;
        continue;
      }
      if (next === '}') {
        this.index++;
        return;
      }
      this.fail(`${this.describeHere()}, expected ',' or '}' after property value`);
    }
  }

  array(path: (string | number)[]): void {
    this.index++;
    this.skipSpace();
    if (this.text[this.index] === ']') {
      this.index++;
      return;
    }
    for (let i = 0; ; i++) {
      this.skipSpace();
      this.onKey?.([...path, i], this.index);
      this.value([...path, i]);
      this.skipSpace();
      const next = this.text[this.index];
      if (next === ',') {
        this.index++;
        continue;
      }
      if (next === ']') {
        this.index++;
        return;
      }
      this.fail(`${this.describeHere()}, expected ',' or ']' after array element`);
    }
  }

  string(): string {
    const start = this.index;
    this.index++;
    for (;;) {
      if (this.index >= this.text.length) this.fail('unterminated string', start);
      const c = this.text.charCodeAt(this.index);
      if (c === 34) {
        this.index++;
        return JSON.parse(this.text.slice(start, this.index)) as string;
      }
      if (c < 32) this.fail('control character (such as a line break) inside a string');
      if (c === 92) {
        const escape = this.text[this.index + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.index + 2, this.index + 6))) this.fail('bad \\u escape');
          this.index += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
          this.index += 2;
        } else {
          this.fail('bad escape sequence in string');
        }
        continue;
      }
      this.index++;
    }
  }

  number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.index, this.index + 400));
    if (!match || match[0] === '-') this.fail('malformed number');
    this.index += match[0].length;
    const next = this.text[this.index];
    if (next !== undefined && /[0-9.eE]/.test(next)) this.fail('malformed number (leading zeros are not allowed)');
  }

  document(): void {
    this.value([]);
    this.skipSpace();
    if (this.index < this.text.length) this.fail(`${this.describeHere()} after the end of the JSON value`);
  }
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxIssue(text: string): JsonSyntaxIssue | null {
  try {
    new Scanner(text, undefined).document();
    return null;
  } catch (error) {
    if (error && typeof error === 'object' && 'offset' in error) return error as JsonSyntaxIssue;
    throw error;
  }
}

/**
 * Where a key (or array element) sits in JSON text; for duplicate keys the last one, as JSON.parse
 * keeps the last. Falls back to the nearest ancestor that is present; null when nothing matches.
 */
export function locateKey(text: string, segments: KeySegments): Position | null {
  const wanted = new Map<string, number>();
  for (let i = segments.length; i > 0; i--) wanted.set(formatKeyPath(segments.slice(0, i)), i);
  let best: { depth: number; offset: number } | null = null;
  try {
    new Scanner(text, (path, offset) => {
      const depth = wanted.get(formatKeyPath(path));
      if (depth !== undefined && (!best || depth >= best.depth)) best = { depth, offset };
    }).document();
  } catch {
    // A key before the syntax error is still worth reporting.
  }
  const found = best as { depth: number; offset: number } | null;
  return found ? positionAt(text, found.offset) : null;
}
