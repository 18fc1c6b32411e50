import { mkdtemp, mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary home directory with helpers to place files in it; `cleanup()` removes it. */
export async function fixtureHome(): Promise<{
  home: string;
  write(relative: string, content: string, mode?: number): Promise<string>;
  cleanup(): Promise<void>;
}> {
  const home = await mkdtemp(join(tmpdir(), 'kafclaw-config-'));
  return {
    home,
    async write(relative, content, mode = 0o600) {
      const path = join(home, relative);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      await chmod(path, mode);
      return path;
    },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

export const REFERENCE_CONFIGS = '/work/shared/reference/kafclaw-configs';
export const CANARY = 'canary-3b9e7d1f5a2c8e4b6d0f9a7c';
