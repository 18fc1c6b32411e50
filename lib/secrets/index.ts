export { Secret, isSecret } from './secret.js';
export { scrub, registerSecretValue, MIN_SCRUB_LENGTH } from './scrub.js';
export { generateToken, TOKEN_BYTES } from './token.js';
export { estimateEntropyBits, REQUIRED_TOKEN_BITS } from './entropy.js';
export { placeholderReason, isPlaceholder } from './placeholder.js';
export { CREDENTIAL_FORMATS, matchCredentialFormat, isEnvReference } from './formats.js';
export type { CredentialFormat } from './formats.js';
