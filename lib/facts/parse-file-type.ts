import type { FileType } from '../target/types.js';

/** `stat -c %F` ("regular file", "directory", "symbolic link", …) as a FileType. */
export function fileTypeOf(text: string): FileType {
  if (text === 'symbolic link') return 'symlink';
  if (text === 'directory') return 'dir';
  if (text.startsWith('regular')) return 'file';
  return 'other';
}
