// Run by tick-object-shape.test.ts with --expose-gc --allow-natives-syntax: nextTick under load, an idle
// spell of full collections, nextTick under load again, then V8's own print of nextTick's feedback on
// stdout. SETUP: `none`, `keep` (keepTickObjectShape alone) or `gateway` (a started gateway). First it
// prints how many symbols a fresh promise carries: async_hooks gives each promise two while its hook is on.
import { keepTickObjectShape } from '../../runtime/tick-object-shape.js';
import { startGateway } from '../../runtime/serve.js';
import { tempDir, testSettings } from './fixtures.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function ticks(count: number): Promise<void> {
  return new Promise((resolve) => {
    let left = count;
    const step = (): void => (--left === 0 ? resolve() : process.nextTick(step));
    process.nextTick(step);
  });
}

const setup = process.env.SETUP;
if (setup === 'keep') keepTickObjectShape();
const dir = setup === 'gateway' ? tempDir() : null;
const gateway = dir ? await startGateway(testSettings(dir.path)) : null;
await null;
process.stdout.write(`promise symbols: ${Object.getOwnPropertySymbols(Promise.resolve()).length}\n`);

await ticks(200_000);
for (let i = 0; i < 6; i++) {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
await ticks(100_000);
new Function('f', '%DebugPrint(f)')(process.nextTick);

await gateway?.close();
dir?.remove();
