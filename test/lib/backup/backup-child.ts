// Child process for tests (not a suite): prints "ready", then takes one backup, printing each
// phase as it starts, then "done". A fifth argument `archive` takes the single-archive form.
import { createBackup } from '../../../lib/backup/create.js';

const [stateDir, configPath, workspace, dest, form] = process.argv.slice(2);
process.stdout.write('ready\n');
await createBackup({
  stateDir: stateDir!, configPath: configPath!, workspace: workspace!, dest: dest!, sourceHost: 'child', toolVersion: 'test', archive: form === 'archive',
  onPhase: (phase) => process.stdout.write(`phase ${phase}\n`),
});
process.stdout.write('done\n');
