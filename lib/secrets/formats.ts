/** Recognised credential formats: a value matching one of these is a live credential, never config. */
export interface CredentialFormat {
  name: string;
  pattern: RegExp;
}

export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  { name: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{3,}/ },
  { name: 'OpenRouter API key', pattern: /\bsk-or-[A-Za-z0-9_-]{3,}/ },
  { name: 'OpenAI-style API key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{3,}/ },
  { name: 'Slack bot token', pattern: /\bxoxb-[A-Za-z0-9-]{3,}/ },
  { name: 'Slack user token', pattern: /\bxox[pars]-[A-Za-z0-9-]{3,}/ },
  { name: 'Slack app token', pattern: /\bxapp-[A-Za-z0-9-]{3,}/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{10,}/ },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{12,}/ },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{10,}/ },
  { name: 'Groq API key', pattern: /\bgsk_[A-Za-z0-9]{10,}/ },
  { name: 'xAI API key', pattern: /\bxai-[A-Za-z0-9]{10,}/ },
];

export function matchCredentialFormat(value: string): CredentialFormat | null {
  return CREDENTIAL_FORMATS.find((format) => format.pattern.test(value)) ?? null;
}

/** `${NAME}` alone: a reference to the environment, not a value. */
export function isEnvReference(value: string): boolean {
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value.trim());
}
