/**
 * An estimate of the entropy of a token in bits: length × log2(size of the alphabet it draws from).
 * The alphabet is inferred from the character classes present, so `aaaa…` and `0123…` are caught by
 * `isPlaceholder` rather than here.
 */
export function estimateEntropyBits(value: string): number {
  if (value.length === 0) return 0;
  const classes: Array<[RegExp, number]> = [
    [/[a-z]/, 26],
    [/[A-Z]/, 26],
    [/[0-9]/, 10],
    [/[^a-zA-Z0-9]/, 33],
  ];
  let alphabet = 0;
  if (/^[0-9a-f]+$/.test(value) && /[a-f]/.test(value) && /[0-9]/.test(value)) alphabet = 16;
  else if (/^[0-9A-F]+$/.test(value) && /[A-F]/.test(value) && /[0-9]/.test(value)) alphabet = 16;
  else for (const [re, size] of classes) if (re.test(value)) alphabet += size;
  const distinct = new Set(value).size;
  const effectiveAlphabet = Math.min(alphabet, distinct);
  return value.length * Math.log2(effectiveAlphabet);
}

/** Bits a gateway token must carry: 32 random bytes. */
export const REQUIRED_TOKEN_BITS = 256;
