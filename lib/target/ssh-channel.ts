import { TargetUnreachableError } from './types.js';

/** The parts of ssh2's client and channel used here (ssh2 ships no type declarations). */
export interface Channel extends NodeJS.EventEmitter {
  stderr: NodeJS.EventEmitter;
  close(): void;
  end(data?: Buffer): void;
  outgoing: { id: number; state: string };
  _client?: { _protocol?: { signal(id: number, name: string): void } };
}

/**
 * ssh2's channel.signal() sends nothing once stdin has been closed, which is always the case here,
 * so the request goes through the protocol object directly. sshd delivers it with killpg().
 */
function sendSignal(channel: Channel, name: string): void {
  try {
    if (channel.outgoing.state === 'open') channel._client?._protocol?.signal(channel.outgoing.id, name);
  } catch {}
}

export interface ExecClient extends NodeJS.EventEmitter {
  exec(command: string, callback: (error: Error | undefined, channel: Channel) => void): void;
}

class ChannelOpenError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChannelOutput {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

/** Limits how many channels are open at once on one connection. */
export class ChannelGate {
  #free: number;
  readonly #waiting: Array<() => void> = [];
  constructor(size: number) {
    this.#free = size;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

/**
 * Run one command on its own channel of an established connection: stdin sent and closed, stdout
 * kept as bytes, a local timeout that signals the command and stops waiting for it.
 */
export async function execOnChannel(
  client: ExecClient,
  gate: ChannelGate,
  host: string,
  command: string,
  stdin: Buffer | null,
  timeoutMs: number | undefined,
): Promise<ChannelOutput> {
  return gate.run(async () => {
    // sshd may still count just-closed sessions against MaxSessions: a refused open is retried.
    for (let attempt = 0; ; attempt++) {
      try {
        return await execOnce(client, host, command, stdin, timeoutMs);
      } catch (error) {
        if (!(error instanceof ChannelOpenError)) throw error;
        if (attempt >= 6) throw new TargetUnreachableError(host, 'run', `cannot open a channel: ${error.message}`);
        await sleep(25 * 2 ** attempt);
      }
    }
  });
}

function execOnce(client: ExecClient, host: string, command: string, stdin: Buffer | null, timeoutMs: number | undefined): Promise<ChannelOutput> {
  return new Promise<ChannelOutput>((resolve, reject) => {
    const onOpen = (error: Error | undefined, channel: Channel): void => {
      if (error) {
        reject(new ChannelOpenError(error.message));
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let exitCode: number | null = null;
      let signal: string | null = null;
      let timedOut = false;
      let settled = false;
      const finish = (): void => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve({
          exitCode: exitCode ?? (signal === 'KILL' || timedOut ? 137 : 128 + 15),
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err).toString('utf8'),
          timedOut,
        });
      };
      const timer =
        timeoutMs === undefined
          ? null
          : setTimeout(() => {
              timedOut = true;
              sendSignal(channel, 'KILL');
              channel.close();
              // Do not wait for a server that keeps the channel open until the command ends.
              setTimeout(finish, 3000).unref();
            }, timeoutMs);
      channel.on('data', (chunk: Buffer) => out.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      channel.on('exit', (code: number | null, signalName?: string) => {
        exitCode = code;
        signal = signalName ?? null;
      });
      channel.on('error', () => {});
      channel.on('close', () => {
        if (exitCode === null && signal === null && !timedOut) {
          if (timer) clearTimeout(timer);
          settled = true;
          reject(new TargetUnreachableError(host, 'run', 'the connection closed before the command finished'));
          return;
        }
        finish();
      });
      channel.end(stdin ?? undefined);
    };
    try {
      client.exec(command, onOpen);
    } catch (error) {
      reject(new TargetUnreachableError(host, 'run', `the connection is gone: ${(error as Error).message}`));
    }
  });
}
