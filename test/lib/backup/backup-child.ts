// Child process for tests (not a suite): prints "ready", then takes one backup, printing each
// phase as it starts, then "done".
import { createBackup } from '../../../lib/backup/create.js';

const [stateDir, configPath, workspace, dest] = process.argv.slice(2);
process.stdout.write('ready\n');
await createBackup({
  stateDir: stateDir!, configPath: configPath!, workspace: workspace!, dest: dest!, sourceHost: 'child', toolVersion: 'test',
  onPhase: (phase) => process.stdout.write(`phase ${phase}\n`),
});
process.stdout.write('done\n');
