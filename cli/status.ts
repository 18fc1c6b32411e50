import { gatherStatus, renderStatus } from '../checks/status.js';
import { LocalTarget } from '../lib/target/local.js';
import { scrub } from '../lib/secrets/scrub.js';
import { EXIT } from './exit-codes.js';

export async function statusCommand(flags: { json?: boolean }): Promise<number> {
  const status = await gatherStatus(new LocalTarget());
  process.stdout.write(scrub(flags.json ? JSON.stringify(status, null, 2) + '\n' : renderStatus(status)));
  return EXIT.ok;
}
