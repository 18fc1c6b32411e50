import { promises as fs } from 'node:fs';
import { command } from './command.js';
import { withFileLock } from './lock.js';
import { readAptMirror } from './mirror.js';
import { LAB_CACHE_DIR, labPaths } from './paths.js';
import { LAB_CUSTOMISE_SCRIPT, LAB_PACKAGES, LAB_SUITE, LAB_VARIANT, recipeHash } from './recipe.js';
import { requireRoot } from './root.js';
import { processStart, readStates } from './state.js';

export interface EnsureImageOptions {
  /** Progress lines for a person watching: image builds take minutes. */
  onProgress?: (line: string) => void;
}

export interface LabImage {
  path: string;
  hash: string;
  built: boolean;
  seconds: number;
}

async function exists(path: string): Promise<boolean> {
  return fs.access(path).then(
    () => true,
    () => false,
  );
}

/** Images of older recipes that no host is built on, and half-built images of dead builders. */
async function staleImages(current: string): Promise<string[]> {
  const inUse = new Set(readStates().map((s) => s.image));
  const stale: string[] = [];
  for (const name of await fs.readdir(LAB_CACHE_DIR)) {
    const match = /^image-([0-9a-f]{16})(?:\.building-(\d+))?$/.exec(name);
    if (!match) continue;
    const path = `${LAB_CACHE_DIR}/${name}`;
    if (match[2] !== undefined) {
      if (processStart(Number(match[2])) === null) stale.push(path);
    } else if (match[1] !== current && !inUse.has(path)) {
      stale.push(path);
    }
  }
  return stale;
}

/** The cached root file system for the current recipe, built (debootstrap + customisation) when missing. */
export async function ensureImage(options: EnsureImageOptions = {}): Promise<LabImage> {
  requireRoot('build the lab image');
  const started = Date.now();
  const hash = recipeHash();
  const path = labPaths.image(hash);
  const progress = options.onProgress ?? (() => {});
  if (await exists(path)) return { path, hash, built: false, seconds: 0 };
  await fs.mkdir(LAB_CACHE_DIR, { recursive: true, mode: 0o700 });
  return withFileLock(
    labPaths.imageLock,
    async () => {
      if (await exists(path)) return { path, hash, built: false, seconds: (Date.now() - started) / 1000 };
      const mirror = await readAptMirror();
      const temp = `${path}.building-${process.pid}`;
      await fs.rm(temp, { recursive: true, force: true });
      progress(`building lab image ${hash} from ${mirror.source} (takes a few minutes)`);
      try {
        await command(
          [
            'debootstrap',
            `--variant=${LAB_VARIANT}`,
            `--include=${LAB_PACKAGES.join(',')}`,
            ...(mirror.keyring ? [`--keyring=${mirror.keyring}`] : []),
            LAB_SUITE,
            temp,
            mirror.uri,
          ],
          { onLine: (line) => (/^[IEW]: /.test(line) ? progress(line) : undefined) },
        );
        progress('customising the image');
        await command(['chroot', temp, 'sh', '-s'], { input: LAB_CUSTOMISE_SCRIPT });
        await fs.rename(temp, path);
      } catch (error) {
        await fs.rm(temp, { recursive: true, force: true });
        throw error;
      }
      const seconds = (Date.now() - started) / 1000;
      progress(`lab image ready in ${seconds.toFixed(0)} s: ${path}`);
      for (const old of await staleImages(hash)) {
        progress(`removing an unused lab image: ${old}`);
        await fs.rm(old, { recursive: true, force: true });
      }
      return { path, hash, built: true, seconds };
    },
    { timeoutMs: 30 * 60_000, onWait: () => progress('waiting for another process building the lab image') },
  );
}
