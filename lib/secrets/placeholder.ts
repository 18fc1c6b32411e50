const PLACEHOLDER_WORDS = [
  'changeme', 'change-me', 'change_me', 'replaceme', 'replace-me', 'placeholder', 'example', 'secret',
  'password', 'token', 'test', 'dummy', 'default', 'xxx', 'todo', 'your-token', 'your_token', 'insert',
];

function isRepeated(value: string): boolean {
  for (let size = 1; size <= Math.floor(value.length / 2); size++) {
    if (value.length % size !== 0) continue;
    if (value.slice(0, size).repeat(value.length / size) === value) return true;
  }
  return false;
}

function isSequential(value: string): boolean {
  if (value.length < 4) return false;
  let up = true;
  let down = true;
  for (let i = 1; i < value.length; i++) {
    const step = value.charCodeAt(i) - value.charCodeAt(i - 1);
    if (step !== 1) up = false;
    if (step !== -1) down = false;
  }
  return up || down;
}

/** Why a value looks like a placeholder rather than a real secret, or null when it does not. */
export function placeholderReason(value: string): string | null {
  const lower = value.toLowerCase();
  if (value.trim().length === 0) return 'empty';
  if (/^<.*>$/.test(value) || /^\$\{?[A-Z_]+\}?$/.test(value)) return 'an unfilled template';
  for (const word of PLACEHOLDER_WORDS) {
    if (lower.startsWith(word) || lower === word) return `starts with the placeholder word "${word}"`;
  }
  if (isRepeated(value)) return 'a repeated pattern';
  if (isSequential(value)) return 'a sequence of characters';
  return null;
}

export function isPlaceholder(value: string): boolean {
  return placeholderReason(value) !== null;
}
