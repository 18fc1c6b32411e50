import type { Check, CheckContext, FixPlan } from './types.js';
import type { ConfigFact } from './config-fact.js';
import { configFileToken, describeSource, gatewayEndpoint, isLoopbackHost } from './gateway-facts.js';
import { estimateEntropyBits, REQUIRED_TOKEN_BITS, placeholderReason, generateToken } from '../lib/secrets/index.js';
import { configEdit } from '../lib/resources/config-edit.js';
import { envFileValue } from '../lib/resources/env-file-value.js';
import { kafclawEnvFile, opsStoreOf, TOKEN_ENV } from './locations.js';
import { gatewayTokenRotation, tokenRotationRecord } from './token-rotation-record.js';
import { rotationAge } from './token-rotation.js';
import { otherSecrets } from './secret-inventory.js';
import { hardeningOptions } from './hardening-options.js';

const config = (ctx: CheckContext) => ctx.facts.get<ConfigFact>('config');

export const bindLoopback: Check = {
  id: 'gateway.bind-loopback',
  title: 'The gateway binds loopback unless it has a token',
  severity: 'critical',
  profiles: ['doctor', 'go-live'],
  rationale: 'A gateway reachable beyond loopback without a token hands its tools to anyone who can reach the port.',
  runbook: '§1.2, §1.3',
  needs: ['config'],
  fixKind: 'auto',
  fixSummary: 'Bind the gateway to 127.0.0.1 when no token is set (a gateway with a token is left to the operator).',
  run(ctx) {
    const endpoint = gatewayEndpoint(config(ctx));
    const source = config(ctx).sourceOf('gateway.host');
    const evidence = { host: endpoint.host, source: source.kind, tokenSet: Boolean(endpoint.token) };
    const from = source.kind === 'env' ? ` (host from ${describeSource(config(ctx), 'gateway.host')})` : '';
    if (isLoopbackHost(endpoint.host)) return { status: 'pass', message: `the gateway binds ${endpoint.host}${from}`, evidence };
    if (!endpoint.token) return { status: 'fail', message: `the gateway binds ${endpoint.host || '(all addresses)'} with no auth token: anyone who reaches ports ${endpoint.port}/${endpoint.dashboardPort} controls it${from}`, evidence };
    return { status: 'warn', message: `the gateway binds ${endpoint.host} beyond loopback; a token is set, so make sure that is intended${from}`, evidence };
  },
  fix(ctx) {
    const loaded = config(ctx);
    const endpoint = gatewayEndpoint(loaded);
    const source = loaded.sourceOf('gateway.host');
    if (endpoint.token) {
      return { resources: [], steps: ['The gateway has a token: rebinding it to loopback would cut off its remote clients. Set gateway.host to 127.0.0.1 yourself if remote access is not needed.'], guidedBecause: 'changing the bind of a gateway that has a token would cut its clients off' };
    }
    if (source.kind === 'env' && source.file) {
      return { resources: [], steps: [`Set ${source.name}=127.0.0.1 in ${source.file} (or remove the line), then restart the gateway.`], guidedBecause: `${source.name} in ${source.file} sets the host, and doctor rewrites env files only to add a token` };
    }
    if (source.kind === 'env') {
      return { resources: [], steps: [`Set ${source.name}=127.0.0.1 where the gateway's environment is defined (or remove it), then restart the gateway.`], guidedBecause: `the host comes from the environment (${source.name}), which doctor cannot edit` };
    }
    return {
      resources: [configEdit(ctx.target, loaded.path, [{ keyPath: ['gateway', 'host'], value: '127.0.0.1' }])],
      steps: [`Set gateway.host to 127.0.0.1 in ${loaded.path}, then restart the gateway.`],
    };
  },
};

export const authTokenPresent: Check = {
  id: 'gateway.auth-token-present',
  title: 'A gateway bound beyond loopback has an auth token',
  severity: 'critical',
  profiles: ['doctor', 'go-live'],
  rationale: 'KafClaw leaves every endpoint open when no token is configured.',
  runbook: '§1.3, §2',
  needs: ['config'],
  fixKind: 'auto',
  fixSummary: `Generate a 32-byte token into ~/.config/kafclaw/env (mode 0600) as ${TOKEN_ENV}, and record its rotation in ~/.kafclaw/ops.db.`,
  run(ctx) {
    const endpoint = gatewayEndpoint(config(ctx));
    if (endpoint.token) return { status: 'pass', message: `a token is set (from ${endpoint.tokenSource})` };
    if (isLoopbackHost(endpoint.host)) return { status: 'pass', message: `no token, and none is required: the gateway binds ${endpoint.host}` };
    return { status: 'fail', message: `the gateway binds ${endpoint.host || '(all addresses)'} and ${TOKEN_ENV} / gateway.authToken is not set` };
  },
  fix(ctx) {
    const loaded = config(ctx);
    const file = kafclawEnvFile(loaded);
    const token = generateToken('generated');
    const written = `A new token was written to ${file} as ${TOKEN_ENV}; read it there (it is not printed) and give it to the gateway's clients, then restart the gateway.`;
    if (ctx.target.kind !== 'local') {
      return {
        resources: [envFileValue(ctx.target, file, TOKEN_ENV, token)],
        steps: [written, `Its rotation is not recorded (doctor records rotations only in this machine's operations store): gateway.auth-token-age warns until the token is rotated with \`kafclaw token rotate\` on ${ctx.host}.`],
      };
    }
    const store = opsStoreOf(loaded, ctx.target);
    return {
      resources: [envFileValue(ctx.target, file, TOKEN_ENV, token), tokenRotationRecord(store, gatewayTokenRotation(token, 'doctor --fix'))],
      steps: [written, `The rotation is recorded in ${store} (${token.fingerprint()}), so gateway.auth-token-age knows the token's age.`],
    };
  },
};

const ROTATION_CUTS_CLIENTS = 'rotating the token cuts off every client that holds the old one';
const ROTATE = `\`kafclaw token rotate\` on the gateway host (not automatic, because ${ROTATION_CUTS_CLIENTS}): it writes a new 32-byte token into the env file and records the rotation; give the new token to the clients, then reload the gateway.`;

export const authTokenStrength: Check = {
  id: 'gateway.auth-token-strength',
  title: 'The auth token is long, random and unique',
  severity: 'high',
  profiles: ['doctor', 'go-live'],
  rationale: 'A guessable or reused token is no token: the runbook asks for at least 32 random bytes.',
  runbook: '§3',
  needs: ['config'],
  fixKind: 'guided',
  fixSummary: `Rotate the token with ${ROTATE}`,
  run(ctx) {
    const loaded = config(ctx);
    const endpoint = gatewayEndpoint(loaded);
    if (!endpoint.token) return { status: 'skip', message: 'no token is set' };
    const value = endpoint.token.reveal();
    const bits = Math.floor(estimateEntropyBits(value));
    const placeholder = placeholderReason(value);
    const twin = otherSecrets(loaded).find((other) => other.secret.equals(endpoint.token!));
    const evidence = { estimatedBits: bits, requiredBits: REQUIRED_TOKEN_BITS, length: value.length, fingerprint: endpoint.token.fingerprint() };
    if (placeholder) return { status: 'fail', message: `the token is a placeholder (${placeholder})`, evidence };
    if (twin) return { status: 'fail', message: `the token equals another secret (${twin.label})`, evidence };
    if (bits < REQUIRED_TOKEN_BITS) return { status: 'fail', message: `the token carries about ${bits} bits; at least ${REQUIRED_TOKEN_BITS} (32 random bytes) are required`, evidence };
    return { status: 'pass', message: `the token carries about ${bits} bits`, evidence };
  },
  fix: guidedRotation,
};

function guidedRotation(ctx: CheckContext): FixPlan {
  const loaded = config(ctx);
  const file = kafclawEnvFile(loaded);
  const inConfig =
    configFileToken(loaded).kind === 'literal'
      ? [`config.json holds the token as a literal: run \`kafclaw doctor --fix --only gateway.token-not-in-config\` first, which moves it to ${file} (\`kafclaw token rotate\` refuses until then).`]
      : [];
  return {
    resources: [],
    steps: [
      ...inConfig,
      `Run \`kafclaw token rotate\` on the gateway host: it writes a new 32-byte token into ${file} (mode 0600, the old file backed up), records the rotation in ~/.kafclaw/ops.db and prints the token's fingerprint, not the token.`,
      'Give the new token to every client through your secret manager, then reload the gateway (SIGHUP, e.g. `systemctl reload kafclaw-gateway`): the old token stops working then.',
    ],
    guidedBecause: ROTATION_CUTS_CLIENTS,
  };
}

export const authTokenAge: Check = {
  id: 'gateway.auth-token-age',
  title: 'The auth token was rotated recently',
  severity: 'medium',
  profiles: ['doctor', 'go-live'],
  rationale: 'Tokens leak quietly; rotating on a schedule bounds how long a leaked one works.',
  runbook: '§3',
  needs: ['config', 'ops.token-rotated-at'],
  fixKind: 'guided',
  fixSummary: `Rotate the token with ${ROTATE}`,
  run(ctx) {
    const endpoint = gatewayEndpoint(config(ctx));
    if (!endpoint.token) return { status: 'skip', message: 'no token is set' };
    const rotatedAt = ctx.facts.get<string | null>('ops.token-rotated-at');
    const options = hardeningOptions(config(ctx), ctx.options);
    if (!rotatedAt) return { status: 'warn', message: 'no rotation record: the token\'s age is unknown; rotate it with `kafclaw token rotate` to start the record' };
    const age = rotationAge(rotatedAt, ctx.now);
    if (age.state === 'unknown') return { status: 'warn', message: `the token's age is unknown: ${age.reason}; rotate it with \`kafclaw token rotate\` to record a new one` };
    const days = age.ageDays;
    const evidence = { rotatedAt, ageDays: days, maxDays: options.tokenRotationDays };
    if (days > options.tokenRotationDays) return { status: 'fail', message: `the token is ${days} days old (rotate every ${options.tokenRotationDays})`, evidence };
    if (days > options.tokenAgeWarnDays) return { status: 'warn', message: `the token is ${days} days old; rotation is due by day ${options.tokenRotationDays}`, evidence };
    return { status: 'pass', message: `the token is ${days} days old`, evidence };
  },
  fix: guidedRotation,
};

export const tokenNotInConfig: Check = {
  id: 'gateway.token-not-in-config',
  title: 'The auth token lives in the environment, not in config.json',
  severity: 'high',
  profiles: ['doctor', 'go-live'],
  rationale: 'config.json gets copied, committed and backed up; a token inside it travels with every copy.',
  runbook: '§2, §3',
  needs: ['config'],
  fixKind: 'auto',
  fixSummary: `Move the token to the env file and leave \${${TOKEN_ENV}} in config.json.`,
  run(ctx) {
    const loaded = config(ctx);
    const inFile = configFileToken(loaded);
    if (inFile.kind === 'none') return { status: 'pass', message: 'config.json holds no token' };
    if (inFile.kind === 'reference') return { status: 'pass', message: `config.json refers to ${inFile.reference}` };
    return { status: 'fail', subject: loaded.path, message: `config.json holds the token as a literal (gateway.authToken in ${loaded.path})` };
  },
  fix(ctx) {
    const loaded = config(ctx);
    const literal = configFileToken(loaded).kind === 'literal';
    const token = loaded.config.gateway.authToken;
    const file = kafclawEnvFile(loaded);
    const fromEnv = loaded.sourceOf('gateway.authToken').kind === 'env';
    const resources = [];
    if (!fromEnv && token && literal) resources.push(envFileValue(ctx.target, file, TOKEN_ENV, token));
    resources.push(configEdit(ctx.target, loaded.path, [{ keyPath: ['gateway', 'authToken'], value: `\${${TOKEN_ENV}}` }]));
    return { resources, steps: [`The token moved to ${file} as ${TOKEN_ENV}; config.json now refers to \${${TOKEN_ENV}}.`] };
  },
};

export const tlsOrProxy: Check = {
  id: 'gateway.tls-or-proxy',
  title: 'A remote gateway is behind TLS or a reverse proxy',
  severity: 'medium',
  profiles: ['doctor', 'go-live'],
  rationale: 'A bearer token sent over plain HTTP can be read by anyone on the path.',
  runbook: '§1.2',
  needs: ['config'],
  fixKind: 'guided',
  fixSummary: 'Set gateway.tlsCert and gateway.tlsKey, or put a TLS reverse proxy in front and declare it (`hardening.reverseProxy: true`).',
  run(ctx) {
    const loaded = config(ctx);
    const endpoint = gatewayEndpoint(loaded);
    if (isLoopbackHost(endpoint.host)) return { status: 'pass', message: `the gateway binds ${endpoint.host}: traffic stays on the host` };
    if (endpoint.tlsConfigured) return { status: 'pass', message: 'TLS is configured (gateway.tlsCert and gateway.tlsKey)' };
    if (hardeningOptions(loaded, ctx.options).reverseProxy) return { status: 'pass', message: 'a TLS reverse proxy is declared (hardening.reverseProxy)' };
    const exposed = endpoint.token ? 'the token and every request cross the network in the clear' : 'every request crosses the network in the clear';
    return { status: 'fail', message: `the gateway binds ${endpoint.host || '(all addresses)'} with neither TLS nor a declared reverse proxy: ${exposed}` };
  },
};

export const gatewayChecks: readonly Check[] = [bindLoopback, authTokenPresent, authTokenStrength, authTokenAge, tokenNotInConfig, tlsOrProxy];
