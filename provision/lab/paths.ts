import { join } from 'node:path';

/** Where the lab keeps things on the controller; every path the lab touches derives from these two. */
export const LAB_CACHE_DIR = '/var/cache/kafclaw-lab';
export const LAB_RUN_DIR = '/var/lib/kafclaw-lab';

export const labPaths = {
  image: (hash: string) => join(LAB_CACHE_DIR, `image-${hash}`),
  imageLock: join(LAB_CACHE_DIR, 'image.lock'),
  privateKey: join(LAB_CACHE_DIR, 'lab_ed25519'),
  publicKey: join(LAB_CACHE_DIR, 'lab_ed25519.pub'),
  stateDir: join(LAB_RUN_DIR, 'state'),
  state: (name: string) => join(LAB_RUN_DIR, 'state', `${name}.json`),
  allocationLock: join(LAB_RUN_DIR, 'allocate.lock'),
  hostDir: (name: string) => join(LAB_RUN_DIR, 'hosts', name),
};
