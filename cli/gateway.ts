import { loadConfig } from '../lib/config/index.js';
import { settingsFromConfig } from '../runtime/settings-from-config.js';
import { startGateway } from '../runtime/serve.js';
import { EXIT } from './exit-codes.js';

/** `kafclaw gateway`: foreground; SIGTERM drains and exits 0, SIGHUP reloads tokens and policy from config. */
export async function gatewayCommand(): Promise<number> {
  const settings = settingsFromConfig(await loadConfig());
  const handle = await startGateway(settings, {
    signals: true,
    reloadSettings: async () => settingsFromConfig(await loadConfig()),
  });
  process.stderr.write(`kafclaw gateway listening: API ${handle.urls.api}, dashboard ${handle.urls.dashboard}\n`);
  await handle.closed;
  return EXIT.ok;
}
