import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** The state directory exists with mode 0700, tightened if it was wider. */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new Error(`${dir} is not a directory: point the gateway state directory (stateDir) at a directory`);
  }
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const stat = statSync(dir);
  if ((stat.mode & 0o777) !== DIR_MODE) chmodSync(dir, DIR_MODE);
}

/**
 * The database file and its WAL companions exist with mode 0600 before SQLite opens them, so there
 * is no moment when they are readable by others.
 */
export function ensurePrivateFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path) && (statSync(path).mode & 0o777) !== FILE_MODE) chmodSync(path, FILE_MODE);
  }
}
