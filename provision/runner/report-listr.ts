import { Listr } from 'listr2';
import type { RunEvent } from './events.js';
import type { TextOptions } from './report-text.js';
import { changeLines } from './report-text.js';
import { scrub } from '../../lib/secrets/scrub.js';

interface HostLine {
  output: string;
  counts: { ok: number; changed: number; failed: number };
  update?: (text: string) => void;
  finish?: (error?: Error) => void;
  ended?: Error | true;
}

/**
 * Progress on a terminal: one listr2 task per host of the running play, its current task below it,
 * its counts in the title when done. Events arrive from the runner; each play gets its own list.
 */
export class ListrProgress {
  #hosts = new Map<string, HostLine>();
  #lists: Promise<unknown>[] = [];
  constructor(private readonly options: TextOptions & { check: boolean }) {}

  onEvent(event: RunEvent): void {
    if (event.type === 'play') {
      this.#endAll();
      this.#hosts = new Map(event.hosts.map((host) => [host, { output: 'connecting', counts: { ok: 0, changed: 0, failed: 0 } }]));
      const list = new Listr(
        event.hosts.map((host) => ({
          title: host,
          task: (_ctx: unknown, task: { output: string; title: string }) =>
            new Promise<void>((resolve, reject) => {
              const line = this.#hosts.get(host)!;
              line.update = (text) => (task.output = text);
              line.finish = (error) => {
                const c = line.counts;
                task.title = `${host}: ok=${c.ok} ${this.options.check ? 'would-change' : 'changed'}=${c.changed} failed=${c.failed}`;
                if (error) reject(error);
                else resolve();
              };
              task.output = line.output;
              if (line.ended) line.finish(line.ended === true ? undefined : line.ended);
            }),
        })),
        { concurrent: true, exitOnError: false, rendererOptions: { collapseSubtasks: false } },
      );
      this.#lists.push(list.run().catch(() => undefined));
      return;
    }
    if (!('host' in event) || event.host === undefined) return;
    const line = this.#hosts.get(event.host);
    if (!line) return;
    if (event.type === 'task' || event.type === 'handler') {
      if (event.status === 'ok') line.counts.ok++;
      if (event.status === 'changed') line.counts.changed++;
      if (event.status === 'failed') line.counts.failed++;
      const name = event.type === 'task' ? event.task : `handler ${event.handler}`;
      const text = [`${event.check && event.status === 'changed' ? 'would change' : event.status} ${name}${event.message ? `: ${event.message}` : ''}`];
      if (event.status === 'changed' && this.options.diff) text.push(...changeLines(event.changes, '  '));
      this.#set(line, scrub(text.join('\n')));
      if (event.status === 'failed') this.#end(line, new Error(scrub(`${name}: ${event.message ?? 'failed'}`)));
    } else if (event.type === 'unreachable') this.#end(line, new Error(scrub(`unreachable at ${event.step}: ${event.message}`)));
    else if (event.type === 'host') this.#set(line, `connected as ${event.login}${event.bootstrap ? ' (bootstrap user)' : ''}`);
    else if (event.type === 'facts') this.#set(line, `facts: ${event.probes} probes in ${event.ms} ms`);
    else if (event.type === 'host-done') this.#end(line);
  }

  #set(line: HostLine, text: string): void {
    line.output = text;
    line.update?.(text);
  }

  #end(line: HostLine, error?: Error): void {
    if (line.ended) return;
    line.ended = error ?? true;
    line.finish?.(error);
  }

  #endAll(): void {
    for (const line of this.#hosts.values()) this.#end(line);
  }

  async done(): Promise<void> {
    this.#endAll();
    await Promise.all(this.#lists);
  }
}
