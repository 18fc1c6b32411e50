import type { Check } from './types.js';

const FAMILY_TITLES: Record<string, string> = {
  gateway: 'Gateway exposure and auth',
  secrets: 'Secrets',
  host: 'Host',
  paths: 'Paths',
  tools: 'Tools',
  access: 'Access control',
  kafclaw: 'KafClaw deployments',
  backup: 'Backups and restore tests',
  ops: 'Operations',
  monitor: 'Monitoring signals',
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/checks.md, generated from the registry: a test fails when the two disagree. */
export function renderCatalogDoc(checks: readonly Check[]): string {
  const lines = [
    '# Checks',
    '',
    '<!-- Generated from checks/index.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'Every check has a stable id: waivers, SARIF rules and library users name it, and it never changes meaning.',
    'Statuses: `pass`, `fail`, `warn`, `skip` (with the reason), `error` (could not decide; never a pass).',
    'Fix kinds: `auto` (`doctor --fix` applies it), `guided` (printed steps, nothing changed),',
    '`provisioner` (a playbook converges it), `none`.',
    '',
  ];
  const families = [...new Set(checks.map((check) => check.id.split('.')[0]!))];
  for (const family of families) {
    lines.push(`## ${FAMILY_TITLES[family] ?? family}`, '', '| id | severity | profiles | fix | checks that | why |', '|---|---|---|---|---|---|');
    for (const check of checks.filter((c) => c.id.startsWith(`${family}.`))) {
      lines.push(`| \`${check.id}\` | ${check.severity} | ${check.profiles.join(', ')} | ${check.fixKind}: ${cell(check.fixSummary)} | ${cell(check.title)} | ${cell(check.rationale)} (runbook ${cell(check.runbook)}) |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
