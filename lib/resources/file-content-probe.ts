import type { FactProbe } from '../facts/types.js';
import { shellQuote } from '../target/quote.js';

export type FileContent = { exists: false } | { exists: true; text: string };

/**
 * A file's bytes, base64-framed by the batched probe script so any content survives its framing; on a
 * dry run's target, read through `Target.readFile` instead, so the diffs see the fixes simulated before.
 */
export function fileContentProbe(key: string, path: string, root = false): FactProbe<FileContent> {
  const quoted = shellQuote(path);
  return {
    key,
    root,
    script: `if [ -e ${quoted} ]; then base64 < ${quoted} | tr -d '\\n'; echo; else echo @@missing; fi`,
    parse(output, exitCode) {
      const text = output.trim();
      if (text === '@@missing') return { exists: false };
      if (exitCode !== 0) throw new Error(`cannot read ${path}: ${text.split('\n')[0]}`);
      return { exists: true, text: Buffer.from(text, 'base64').toString('utf8') };
    },
    async read(target, sudo) {
      const bytes = await target.readFile(path, { sudo });
      return bytes === null ? { exists: false } : { exists: true, text: bytes.toString('utf8') };
    },
  };
}
