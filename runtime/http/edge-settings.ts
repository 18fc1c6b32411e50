import type { ChannelTokens } from '../auth/channel-token.js';
import type { GatewaySettings } from '../settings.js';

/**
 * Settings of the gateway's edge that `GatewaySettings` does not carry itself: TLS files, trusted
 * reverse proxies and the channel bridges' inbound tokens. They ride along on the settings object
 * (so a reload replaces them with the rest); each one absent means that feature is off.
 */
export interface EdgeSettings {
  /** `gateway.tlsCert` and `gateway.tlsKey`: PEM files; with both set the listeners serve HTTPS. */
  tlsCert?: string;
  tlsKey?: string;
  /** `gateway.trustedProxies`: peers whose X-Forwarded-For names the client (addresses or CIDR ranges). */
  trustedProxies?: readonly string[];
  /** `channels.<name>.inboundToken` and per-account ones; absent: settings built without a config, no check. */
  channelTokens?: ChannelTokens;
}

export type GatewayEdgeSettings = GatewaySettings & EdgeSettings;

/** The edge part of settings that may carry one. */
export function edgeSettings(settings: GatewaySettings): EdgeSettings {
  return settings as GatewaySettings & EdgeSettings;
}
