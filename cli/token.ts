import { userInfo } from 'node:os';
import { posix } from 'node:path';
import { configFileToken, describeSource } from '../checks/gateway-facts.js';
import { readGatewayUnit, unitRotationRefusal } from '../checks/gateway-unit.js';
import { kafclawEnvFile, opsStoreOf, TOKEN_ENV } from '../checks/locations.js';
import { gatewayTokenRotation, recordGatewayTokenRotation } from '../checks/token-rotation-record.js';
import { gatherTokenStatus, renderTokenStatus } from '../checks/token-status.js';
import { loadConfig, setEnvFileValue, setEnvLine, type LoadedConfig } from '../lib/config/index.js';
import { generateToken, scrub } from '../lib/secrets/index.js';
import { LocalTarget } from '../lib/target/local.js';
import { shellQuote } from '../lib/target/quote.js';
import { EXIT } from './exit-codes.js';

const out = (text: string) => process.stdout.write(scrub(text) + '\n');
const refuse = (text: string) => {
  process.stderr.write(`kafclaw token rotate: ${scrub(text)}\n`);
  return EXIT.usage;
};

/** Why a token written to the env file would not serve, or null: a literal in config.json, or a source that overrides the file. */
function refusal(before: LoadedConfig, after: LoadedConfig, file: string, matches: boolean): string | null {
  if (configFileToken(before).kind === 'literal') {
    return (
      `config.json holds the token as a literal (gateway.authToken in ${before.path}): a new token in ${file} would leave the old one ` +
      `in config.json and in every copy of it. Run \`kafclaw doctor --fix --only gateway.token-not-in-config\` first (it moves the token ` +
      `to ${file} and leaves \${${TOKEN_ENV}} in config.json), then rotate. Nothing was changed.`
    );
  }
  if (matches) return null;
  const source = after.sourceOf('gateway.authToken');
  const where =
    source.kind === 'env' && !source.file
      ? `${source.name} in this process's environment, which env files never override (run again without it, e.g. \`env -u ${source.name} kafclaw token rotate\`)`
      : `${describeSource(after, 'gateway.authToken')}, which takes precedence over ${TOKEN_ENV} in ${file} (remove it there, then run again)`;
  return `a token written to ${file} would not take effect: the gateway token would still come from ${where}. Nothing was changed.`;
}

/** Why the gateway this machine's systemd runs would not read a token written to `file`, or null (also when there is no such unit). */
async function unitRefusal(target: LocalTarget, file: string): Promise<string | null> {
  let gateway;
  try {
    gateway = await readGatewayUnit(target);
  } catch (error) {
    return `could not read the local kafclaw-gateway.service to check that its gateway reads ${file} (${(error as Error).message}); run \`systemctl cat kafclaw-gateway.service\` to see why. Nothing was changed.`;
  }
  if (!gateway) return null;
  const uid = process.getuid?.() ?? -1;
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.LOGNAME || process.env.USER || `uid ${uid}`;
  }
  return unitRotationRefusal(gateway, { uid, name }, file);
}

/** `kafclaw token rotate`: a new token in the env file, its rotation in ops.db; the token itself only with --show. */
export async function tokenRotateCommand(flags: { show?: boolean }): Promise<number> {
  const target = new LocalTarget();
  const readFile = (path: string) => target.readFile(path);
  const before = await loadConfig({ readFile });
  const file = posix.resolve(kafclawEnvFile(before));
  const token = generateToken('generated');
  // The configuration as it would load with the new line in the env file: the new token must be the one in effect.
  const current = (await target.readFile(file))?.toString('utf8') ?? '';
  const next = setEnvLine(current, TOKEN_ENV, token.reveal()).text;
  const after = await loadConfig({ readFile: (path) => (posix.resolve(path) === file ? Promise.resolve(Buffer.from(next)) : readFile(path)) });
  const refused = refusal(before, after, file, after.config.gateway.authToken.equals(token)) ?? (await unitRefusal(target, file));
  if (refused) return refuse(refused);

  const edit = await setEnvFileValue(file, TOKEN_ENV, token, target);
  const fingerprint = token.fingerprint();
  out(`New gateway token written to ${file} as ${TOKEN_ENV} (mode 0600), fingerprint ${fingerprint}.`);
  if (edit.backupPath) {
    out(`The env file as it was is saved as ${edit.backupPath} (0600); it holds the old token: delete it once the rotation is done: rm ${shellQuote(edit.backupPath)}`);
  }
  if (flags.show) process.stdout.write(`token: ${token.reveal()}\n`);

  const store = opsStoreOf(before, target);
  let recorded = true;
  try {
    await recordGatewayTokenRotation(store, gatewayTokenRotation(token, 'rotate'));
    out(`Rotation recorded in ${store}.`);
  } catch (error) {
    recorded = false;
    process.stderr.write(
      scrub(
        `kafclaw token rotate: the new token is in place, but its rotation could not be recorded in ${store}: ${(error as Error).message}. ` +
          'Until a rotation is recorded, gateway.auth-token-age reports the token\'s age as unknown: make the store writable, then rotate again to start the record.\n',
      ),
    );
  }
  out(
    [
      'Next:',
      `  1. Give the new token to the gateway's clients${flags.show ? '' : ` (read it from ${file}; it is not printed without --show)`}.`,
      '  2. Reload the running gateway: `systemctl reload kafclaw-gateway`, or send it SIGHUP (a gateway that does not reload on SIGHUP: restart it).',
      '     From then on the old token stops working; until then the running gateway accepts only the old one.',
    ].join('\n'),
  );
  return recorded ? EXIT.ok : EXIT.findings;
}

/** `kafclaw token status`: where the token comes from, its fingerprint and its age, as `kafclaw status` reports them. */
export async function tokenStatusCommand(flags: { json?: boolean }): Promise<number> {
  const status = await gatherTokenStatus(new LocalTarget());
  process.stdout.write(scrub(flags.json ? JSON.stringify(status, null, 2) + '\n' : renderTokenStatus(status)));
  return EXIT.ok;
}
