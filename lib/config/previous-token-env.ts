/** The token a `kafclaw token rotate --grace` replaced; the gateway accepts it beside the new one until its expiry. */
export const PREVIOUS_TOKEN_ENV = 'KAFCLAW_GATEWAY_PREVIOUS_AUTH_TOKEN';
/**
 * When the previous token stops working: an ISO 8601 time with its offset (2026-12-08T12:00:00Z). Its
 * name has no TOKEN in it: values of such names are treated as secrets and kept out of every output.
 */
export const PREVIOUS_TOKEN_EXPIRES_ENV = 'KAFCLAW_GATEWAY_PREVIOUS_AUTH_EXPIRES';
/** The longest grace `token rotate --grace` writes; a later expiry is refused wherever it was written. */
export const MAX_GRACE_MS = 30 * 86_400_000;
