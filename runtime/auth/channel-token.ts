import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Secret } from '../../lib/secrets/index.js';
import { failureRecorder } from './hook.js';
import type { AuthHookOptions } from './hook.js';

/** One channel's bridge credentials (KafClaw `channels.<name>.inboundToken` and `accounts[].inboundToken`). */
export interface ChannelInboundTokens {
  /** The channel's own token; null when unset or empty. */
  token: Secret | null;
  /** Account id -> its token, only accounts that set a non-empty one (the others inherit the channel's). */
  accounts: Readonly<Record<string, Secret>>;
}

/** By channel name (`slack`, `msteams`, ...). */
export type ChannelTokens = Readonly<Record<string, ChannelInboundTokens>>;

export type ChannelTokenVerdict =
  | { ok: true }
  /** The caller's fault: the header is missing, too long or wrong. */
  | { ok: false; status: 401; reason: string }
  /** The configuration's: no token to compare with, so nobody is let in. */
  | { ok: false; status: 403; message: string };

/** Where KafClaw's loader reads the token from the environment, and where its channel bridge reads it (facts §1.5). */
const ENV_HINT: Record<string, string> = {
  slack: ' (env KAFCLAW_CHANNELS_SLACK_SLACK_INBOUND_TOKEN; the bridge sends KAFCLAW_SLACK_INBOUND_TOKEN)',
  msteams: ' (env KAFCLAW_CHANNELS_MSTEAMS_MSTEAMS_INBOUND_TOKEN; the bridge sends KAFCLAW_MSTEAMS_INBOUND_TOKEN)',
};

function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/**
 * Whether `presented` (the X-Channel-Token header) is the inbound token of this channel and account.
 * An unknown or empty account id, or an account without a token of its own, falls back to the
 * channel's token, as KafClaw does. Unlike KafClaw, no token configured refuses everyone. The
 * comparison is of SHA-256 digests with timingSafeEqual, so it is constant-time in the value. Pure.
 */
export function verifyChannelToken(
  tokens: ChannelTokens,
  channel: string,
  accountId: string | undefined,
  presented: string | string[] | undefined,
  maxLength: number,
): ChannelTokenVerdict {
  const entry = tokens[channel];
  const own = accountId ? entry?.accounts[accountId] : undefined;
  const expected = own && !own.isEmpty() ? own : entry?.token;
  if (!expected || expected.isEmpty()) {
    return {
      ok: false,
      status: 403,
      message:
        `channels.${channel}.inboundToken is not set: this gateway refuses ${channel} messages until it is; ` +
        `set it${ENV_HINT[channel] ?? ''} to the token the bridge sends in X-Channel-Token`,
    };
  }
  if (presented === undefined || presented === '') return { ok: false, status: 401, reason: 'no X-Channel-Token header' };
  if (Array.isArray(presented)) return { ok: false, status: 401, reason: 'more than one X-Channel-Token header' };
  if (presented.length > maxLength) return { ok: false, status: 401, reason: `X-Channel-Token longer than ${maxLength} bytes` };
  if (!timingSafeEqual(digest(presented), digest(expected.reveal()))) return { ok: false, status: 401, reason: `wrong ${channel} channel token` };
  return { ok: true };
}

const CHANNEL_UNAUTHORIZED = JSON.stringify({
  error: 'Unauthorized',
  message: "a valid channel token is required (X-Channel-Token: <the channel's inboundToken>)",
});

/**
 * preHandler for `/api/v1/channels/:channel/inbound`, after the bearer token was accepted (by an
 * authHook that leaves the failure count to this check) and the body validated (it names the
 * account). A wrong token counts as an authentication failure of the client's address (backoff,
 * timeline, metrics); a channel without a token answers 403 and says what to set. An unconfigured
 * channel passes on to the route, which answers 404. Settings built without channel tokens (no
 * config behind them) skip the check.
 */
export function channelTokenHook(options: AuthHookOptions) {
  const { state, now } = options;
  const addressOf = options.addressOf ?? ((request: FastifyRequest) => request.ip);
  const recordFailure = failureRecorder(options);

  return function checkChannelToken(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const pass = (): void => {
      state.failures.succeed(addressOf(request));
      done();
    };
    const tokens = state.settings.channelTokens;
    const param = (request.params as { channel?: unknown } | undefined)?.channel;
    if (!tokens || typeof param !== 'string') return pass();
    const channel = param === 'teams' ? 'msteams' : param;
    if (!Object.hasOwn(state.settings.channels, channel)) return pass();
    const body = request.body as { account_id?: unknown } | undefined;
    const accountId = typeof body?.account_id === 'string' ? body.account_id : undefined;
    const verdict = verifyChannelToken(tokens, channel, accountId, request.headers['x-channel-token'], state.settings.limits.maxAuthHeaderBytes);
    if (verdict.ok) return pass();
    // Sent as JSON text: a string payload skips the route's response schemas, which describe its own answers.
    reply.type('application/json; charset=utf-8');
    if (verdict.status === 403) {
      request.log.warn({ channel }, 'channel message refused: no inbound token configured');
      reply.code(403).send(JSON.stringify({ error: 'Forbidden', message: verdict.message }));
      return;
    }
    recordFailure(request, addressOf(request), verdict.reason, 'channel', now());
    reply.code(401).send(CHANNEL_UNAUTHORIZED);
  };
}
