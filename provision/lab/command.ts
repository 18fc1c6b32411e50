import { spawn, spawnSync } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(argv: readonly string[], result: CommandResult) {
    const detail = result.stderr.trim() || result.stdout.trim() || `exit ${result.code}`;
    super(`${argv.join(' ')}: ${detail.split('\n').slice(-5).join('\n')}`);
    this.name = 'CommandError';
  }
}

export interface CommandOptions {
  input?: string;
  /** Return a failed result instead of throwing. */
  allowFail?: boolean;
  /** Called with each complete line of stdout and stderr. */
  onLine?: (line: string) => void;
}

/** Run a controller-side command (no shell) and collect its output. */
export function command(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new Error('command: empty argv'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const feed = (chunk: string): void => {
      if (!options.onLine) return;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), feed(chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), feed(chunk)));
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = { code: code ?? (signal ? 128 : 1), stdout, stderr };
      if (result.code !== 0 && !options.allowFail) reject(new CommandError(argv, result));
      else resolve(result);
    });
  });
}

/** The synchronous twin, for exit handlers where no promise will ever settle. */
export function commandSync(argv: readonly string[], options: { allowFail?: boolean } = {}): CommandResult {
  const [file, ...args] = argv;
  if (!file) throw new Error('command: empty argv');
  const child = spawnSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const result = { code: child.status ?? 1, stdout: child.stdout ?? '', stderr: child.stderr ?? String(child.error ?? '') };
  if (result.code !== 0 && !options.allowFail) throw new CommandError(argv, result);
  return result;
}
