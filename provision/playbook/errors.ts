import { SourceError } from '../vars/source-error.js';
import type { SourceWhere } from '../vars/source-error.js';

/** A playbook that cannot run as written: file, line, column, key and what to do. Exit 2. */
export class PlaybookError extends SourceError {
  constructor(message: string, where: SourceWhere) {
    super(message, where);
    this.name = 'PlaybookError';
  }
}

export const playbookError = (message: string, where: SourceWhere) => new PlaybookError(message, where);
