import { SourceError } from '../vars/source-error.js';
import type { SourceWhere } from '../vars/source-error.js';

/** An inventory that cannot be used as written: file, line, column, key and what to do. Exit 2. */
export class InventoryError extends SourceError {
  constructor(message: string, where: SourceWhere) {
    super(message, where);
    this.name = 'InventoryError';
  }
}

export const inventoryError = (message: string, where: SourceWhere) => new InventoryError(message, where);
