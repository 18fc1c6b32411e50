export { parseSecretReference, isSecretReference, secretReferenceSchema, literalSecretMessage, describeReference, SECRET_REFERENCE_HELP } from './reference.js';
export type { SecretReference } from './reference.js';
export { resolveSecretReference, SecretResolver, SecretResolutionError } from './resolve.js';
export type { ResolveOptions } from './resolve.js';
export { findLiteralSecrets } from './slots.js';
export type { LiteralSecret } from './slots.js';
