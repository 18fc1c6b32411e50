import { posix } from 'node:path';
import type { Target } from '../lib/target/types.js';
import { gatherFacts } from '../lib/facts/gather.js';
import { passwdProbe, type PasswdEntry } from '../lib/facts/probes/accounts.js';
import { GATEWAY_UNIT, unitProbe, type UnitFacts } from '../lib/facts/probes/systemd.js';
import { parseEnvFileEntries, PREVIOUS_TOKEN_ENV, PREVIOUS_TOKEN_EXPIRES_ENV } from '../lib/config/index.js';
import { GATEWAY_TOKEN_ENV_NAMES } from './gateway-facts.js';

/** The gateway's systemd unit on this machine, its user's passwd entry, and what its Environment= and EnvironmentFile= lines set. */
export interface GatewayUnit {
  unit: UnitFacts;
  /** The unit's User= (root when unset). */
  user: string;
  account: PasswdEntry | null;
  /** In the order systemd applies them: the EnvironmentFile= files, then Environment= (later wins). */
  environment: Array<{ name: string; value: string; source: string }>;
}

/**
 * Reads kafclaw-gateway.service as doctor does (the unit and passwd probes), and the files its
 * EnvironmentFile= lines name. Null when systemd does not run here or has no such unit.
 */
export async function readGatewayUnit(target: Target): Promise<GatewayUnit | null> {
  const unitKey = `host.unit:${GATEWAY_UNIT}`;
  const facts = await gatherFacts(target, [unitProbe(GATEWAY_UNIT), passwdProbe]);
  const unit = facts.get<UnitFacts | null>(unitKey);
  if (!unit?.loaded) return null;
  const user = unit.user || 'root';
  const passwd = facts.get<PasswdEntry[]>('host.passwd');
  const environment: GatewayUnit['environment'] = [];
  for (const file of unit.environmentFiles) {
    const path = file.replace(/^-/, '');
    const bytes = await target.readFile(path);
    if (bytes) for (const entry of parseEnvFileEntries(bytes.toString('utf8'))) environment.push({ name: entry.name, value: entry.value, source: `${path} (EnvironmentFile= of ${GATEWAY_UNIT})` });
  }
  for (const entry of unit.environment) environment.push({ ...entry, source: `Environment= in ${unit.fragmentPath || GATEWAY_UNIT}` });
  return { unit, user, account: passwd.find((p) => p.name === user || String(p.uid) === user) ?? null, environment };
}

/** The env file the unit's gateway reads first: its KAFCLAW_ENV_FILE, else ~/.config/kafclaw/env of its HOME or its user's home. */
function unitEnvFile(gateway: GatewayUnit): string {
  const last = (name: string) => gateway.environment.filter((a) => a.name === name).at(-1)?.value;
  return last('KAFCLAW_ENV_FILE') || posix.join(last('HOME') || gateway.account?.home || '/root', '.config', 'kafclaw', 'env');
}

/**
 * Pure: why a token written to `envFile` by `caller` would not reach the gateway the local unit runs,
 * or null: the unit runs as another user, reads another env file, or sets a gateway token name itself.
 */
export function unitRotationRefusal(gateway: GatewayUnit, caller: { uid: number; name: string }, envFile: string): string | null {
  const where = gateway.unit.fragmentPath || GATEWAY_UNIT;
  const sameUser = gateway.account ? gateway.account.uid === caller.uid : gateway.user === caller.name;
  if (!sameUser) {
    return (
      `${GATEWAY_UNIT} runs as ${gateway.user} (User= in ${where}), not as ${caller.name}, who would write the token to ${envFile} ` +
      `and record it in ${caller.name}'s operations store: the gateway would never read it. Run it as the gateway's user ` +
      `(\`sudo -u ${gateway.user} -H kafclaw token rotate\`), or change the unit's User=. Nothing was changed.`
    );
  }
  const setter = gateway.environment.find((a) => GATEWAY_TOKEN_ENV_NAMES.includes(a.name) || a.name === PREVIOUS_TOKEN_ENV || a.name === PREVIOUS_TOKEN_EXPIRES_ENV);
  if (setter) {
    return (
      `${GATEWAY_UNIT} sets ${setter.name} itself (${setter.source}): systemd hands it to the gateway, where it overrides ` +
      `what \`kafclaw token rotate\` writes to ${envFile}, so the gateway would not get the rotation. Remove ${setter.name} from the unit's ` +
      `Environment=/EnvironmentFile= (KafClaw reads ${envFile} itself), run \`systemctl daemon-reload\`, then run again. Nothing was changed.`
    );
  }
  const reads = unitEnvFile(gateway);
  if (posix.resolve(reads) !== posix.resolve(envFile)) {
    return (
      `${GATEWAY_UNIT} (${where}) reads its env file from ${reads}, not ${envFile}: the gateway would never read the new token. ` +
      `Run it with the gateway's environment (\`sudo -u ${gateway.user} -H kafclaw token rotate\`, with the unit's HOME / KAFCLAW_ENV_FILE), ` +
      `or change the unit's Environment=. Nothing was changed.`
    );
  }
  return null;
}
