import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export interface AptMirror {
  uri: string;
  /** Keyring from `Signed-By` when it names a file. */
  keyring?: string;
  /** Where it was found, for messages. */
  source: string;
}

function parseDeb822(text: string, source: string, suite: string): AptMirror[] {
  const found: AptMirror[] = [];
  const paragraphs = text.split(/\n[ \t]*\n/);
  for (const paragraph of paragraphs) {
    const fields = new Map<string, string>();
    let last: string | null = null;
    for (const line of paragraph.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      if (/^[ \t]/.test(line) && last) {
        fields.set(last, `${fields.get(last)} ${line.trim()}`);
        continue;
      }
      const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (!match) continue;
      last = match[1]!.toLowerCase();
      fields.set(last, match[2]!.trim());
    }
    const words = (key: string): string[] => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
    if (fields.get('enabled')?.toLowerCase() === 'no') continue;
    if (!words('types').includes('deb')) continue;
    if (!words('suites').includes(suite) || !words('components').includes('main')) continue;
    const signedBy = fields.get('signed-by');
    for (const uri of words('uris')) {
      found.push({ uri, source, ...(signedBy?.startsWith('/') ? { keyring: signedBy } : {}) });
    }
  }
  return found;
}

function parseOneLine(text: string, source: string, suite: string): AptMirror[] {
  const found: AptMirror[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const match = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s+(.+)$/.exec(line);
    if (!match || match[3] !== suite || !match[4]!.split(/\s+/).includes('main')) continue;
    const signedBy = /(?:^|\s)signed-by=(\S+)/.exec(match[1] ?? '')?.[1];
    found.push({ uri: match[2]!, source, ...(signedBy?.startsWith('/') ? { keyring: signedBy } : {}) });
  }
  return found;
}

/** Mirrors serving `suite main`, in file order; `.sources` files are deb822, `.list` files one-line. */
export function parseAptSources(files: ReadonlyArray<{ path: string; text: string }>, suite = 'bookworm'): AptMirror[] {
  return files.flatMap(({ path, text }) =>
    path.endsWith('.sources') ? parseDeb822(text, path, suite) : parseOneLine(text, path, suite),
  );
}

/** The mirror this machine already uses for Debian 12, read at run time; never a name written in the repo. */
export async function readAptMirror(root = '/etc/apt', suite = 'bookworm'): Promise<AptMirror> {
  const files: Array<{ path: string; text: string }> = [];
  const read = async (path: string): Promise<void> => {
    try {
      files.push({ path, text: await fs.readFile(path, 'utf8') });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  };
  await read(join(root, 'sources.list'));
  let names: string[] = [];
  try {
    names = (await fs.readdir(join(root, 'sources.list.d'))).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const name of names) {
    if (name.endsWith('.sources') || name.endsWith('.list')) await read(join(root, 'sources.list.d', name));
  }
  const mirror = parseAptSources(files, suite).find((m) => /^(https?|file):/.test(m.uri));
  if (!mirror) {
    throw new Error(
      `no "${suite} main" Debian mirror found in ${root}/sources.list or ${root}/sources.list.d/*.sources|*.list: ` +
        'add the mirror this machine should use to its apt sources',
    );
  }
  return mirror;
}
