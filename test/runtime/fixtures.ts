// Shared helpers for the runtime suites: temporary state directories, strong tokens, raw HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateEntropyBits, generateToken, isPlaceholder, REQUIRED_TOKEN_BITS } from '../../lib/secrets/index.js';
import type { Secret } from '../../lib/secrets/index.js';
import { gatewaySettings } from '../../runtime/settings.js';
import type { GatewaySettings } from '../../runtime/settings.js';

export function tempDir(prefix = 'kafclaw-runtime-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A generated token that passes the strength check. The entropy estimate caps the alphabet at the
 * number of distinct characters, so about one generated token in four (a hex string missing one of
 * the 16 digits) is judged weak; retrying keeps these suites deterministic. Reported to the lead.
 */
export function strongToken(source = 'test'): Secret {
  for (;;) {
    const token = generateToken(source);
    if (estimateEntropyBits(token.reveal()) >= REQUIRED_TOKEN_BITS && !isPlaceholder(token.reveal())) return token;
  }
}

export type SettingsOverrides = Partial<Omit<GatewaySettings, 'limits'>> & { limits?: Partial<GatewaySettings['limits']> };

export function testSettings(stateRoot: string, overrides: SettingsOverrides = {}): GatewaySettings {
  return gatewaySettings({
    stateDir: join(stateRoot, 'state'),
    workspace: join(stateRoot, 'workspace'),
    logLevel: 'silent',
    port: 0,
    dashboardPort: 0,
    ...overrides,
  });
}

/** Collects log lines written by pino, to search them for secrets. */
export class LogCapture {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  get text(): string {
    return this.lines.join('');
  }
}

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends bytes exactly as written (no URL normalisation, duplicate headers allowed) and reads the
 * response until the server closes the connection; requests should carry `Connection: close`.
 */
export function rawRequest(port: number, text: string, host = '127.0.0.1'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.end(text));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n', 2);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body });
    });
  });
}

export function requestText(method: string, path: string, headers: Array<[string, string]> = []): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers.map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
  return lines.join('\r\n') + '\r\n\r\n';
}
