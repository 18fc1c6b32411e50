import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { sqliteTimestamp } from '../../../runtime/timeline/timestamp.js';

test('UTC, space-separated, milliseconds; SQLite parses it and it sorts after CURRENT_TIMESTAMP of the same second', () => {
  const stamp = sqliteTimestamp(new Date('2026-11-25T03:04:05.678Z'));
  assert.is(stamp, '2026-11-25 03:04:05.678');
  const db = new Database(':memory:');
  assert.is((db.prepare('SELECT datetime(?) AS d').get(stamp) as { d: string }).d, '2026-11-25 03:04:05');
  assert.ok(stamp > '2026-11-25 03:04:05');
  db.close();
});

test.run();
