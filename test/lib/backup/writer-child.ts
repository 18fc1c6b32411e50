// Child process for tests (not a suite): writes one KafClaw "turn" per tick into a live
// timeline.db through its own connection, until killed. Prints "ready" after the first commit.
import { openKafclawDb, insertTurn } from './kafclaw-db.js';

const [dbPath, startArg, intervalArg] = process.argv.slice(2);
const db = openKafclawDb(dbPath!);
let n = Number(startArg);
const interval = Number(intervalArg ?? 2);
insertTurn(db, n++);
process.stdout.write('ready\n');
setInterval(() => insertTurn(db, n++), interval);
process.on('SIGTERM', () => {
  db.close();
  process.exit(0);
});
