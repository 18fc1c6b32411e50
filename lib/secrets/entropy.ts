/**
 * An estimate of the entropy of a token in bits: length × log2(size of the alphabet it draws from),
 * the alphabet inferred from the character classes present (hex counts as 16).
 *
 * A string with far fewer distinct characters than a random draw of its length would show
 * (`aaaa…`, `abab…`) is judged by its distinct characters instead. A random draw of n characters
 * from k shows about k·(1 − (1 − 1/k)^n) distinct ones; under half of that is not random.
 */
export function estimateEntropyBits(value: string): number {
  if (value.length === 0) return 0;
  const alphabet = alphabetSize(value);
  const distinct = new Set(value).size;
  const expectedDistinct = alphabet * (1 - Math.pow(1 - 1 / alphabet, value.length));
  const effective = distinct < expectedDistinct / 2 ? distinct : alphabet;
  return effective <= 1 ? 0 : value.length * Math.log2(effective);
}

function alphabetSize(value: string): number {
  if (/^[0-9a-f]+$/.test(value) || /^[0-9A-F]+$/.test(value)) return 16;
  // base64 and base64url draw from 64 symbols even when a short token happens to miss a class.
  if (/[a-z]/.test(value) && /[A-Z]/.test(value) && (/^[A-Za-z0-9_-]+$/.test(value) || /^[A-Za-z0-9+/]+={0,2}$/.test(value))) return 64;
  let size = 0;
  if (/[a-z]/.test(value)) size += 26;
  if (/[A-Z]/.test(value)) size += 26;
  if (/[0-9]/.test(value)) size += 10;
  if (/[^a-zA-Z0-9]/.test(value)) size += 33;
  return size;
}

/** Bits a gateway token must carry: 32 random bytes. */
export const REQUIRED_TOKEN_BITS = 256;
