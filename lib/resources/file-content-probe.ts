import type { FactProbe } from '../facts/types.js';
import { shellQuote } from '../target/quote.js';

export type FileContent = { exists: false } | { exists: true; text: string };

/**
 * A file's bytes: gathered through `Target.readFile` (so a dry run's diffs see the writes of the fixes
 * simulated before), or base64-framed by the script, so any content survives the probe script's framing.
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
