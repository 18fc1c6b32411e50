import { UsageError } from './exit-codes.js';

export interface ProvisionFlags {
  inventory: string;
  extraVars?: string[];
  check?: boolean;
  diff?: boolean;
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  forks?: string;
  acceptNewHostKeys?: boolean;
  knownHosts?: string;
  format?: 'text' | 'json';
}

function parseForks(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const forks = Number(value);
  if (!Number.isInteger(forks) || forks < 1 || forks > 50) throw new UsageError(`--forks "${value}": give a whole number from 1 to 50`);
  return forks;
}

/** `kafclaw provision PLAYBOOK -i INVENTORY`: exit 0 converged, 1 a change failed, 2 bad input, 3 a host unreachable. */
export async function provisionCommand(playbookPath: string, flags: ProvisionFlags): Promise<number> {
  const forks = parseForks(flags.forks);
  const [{ loadPlaybook, planPlaybook, splitTags }, { loadInventory }, { parseExtraVars }, { SecretResolver }, { runPlan }, { exitCodeOf }] = await Promise.all([
    import('../provision/playbook/index.js'),
    import('../provision/inventory/index.js'),
    import('../provision/vars/index.js'),
    import('../provision/secrets/index.js'),
    import('../provision/runner/run.js'),
    import('../provision/runner/events.js'),
  ]);
  const [playbook, inventory, extraVars] = await Promise.all([loadPlaybook(playbookPath), loadInventory(flags.inventory), parseExtraVars(flags.extraVars ?? [])]);
  const plan = planPlaybook(playbook, inventory, {
    extraVars,
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
    tags: splitTags(flags.tags ?? []),
    skipTags: splitTags(flags.skipTags ?? []),
  });
  const check = flags.check === true;
  const diff = flags.diff === true;
  const json = flags.format === 'json';
  const write = (line: string) => process.stdout.write(line + '\n');
  let onEvent: ((event: import('../provision/runner/events.js').RunEvent) => void) | undefined;
  let progress: import('../provision/runner/report-listr.js').ListrProgress | null = null;
  const text = await import('../provision/runner/report-text.js');
  if (json) {
    const { eventJson } = await import('../provision/runner/report-json.js');
    onEvent = (event) => write(eventJson(event));
  } else if (process.stdout.isTTY && process.env.CI === undefined && (process.stdout.columns ?? 0) >= 40) {
    // a terminal that reports no width (a pty nobody sized) would wrap the live display at every character: plain lines instead
    const { ListrProgress } = await import('../provision/runner/report-listr.js');
    progress = new ListrProgress({ diff, check });
    onEvent = (event) => progress!.onEvent(event);
  } else {
    onEvent = (event) => {
      const line = text.eventText(event, { diff });
      if (line !== null) write(line);
    };
  }
  const summary = await runPlan(plan, {
    check,
    ...(forks !== undefined ? { forks } : {}),
    acceptNewHostKeys: flags.acceptNewHostKeys === true,
    ...(flags.knownHosts !== undefined ? { knownHostsPath: flags.knownHosts } : {}),
    resolver: new SecretResolver(),
    onEvent,
    drill: (await import('./drill-hooks.js')).drillHooks(),
  });
  await progress?.done();
  if (json) {
    const { summaryJson } = await import('../provision/runner/report-json.js');
    write(summaryJson(summary));
  } else write(text.summaryText(summary, check));
  return exitCodeOf(summary);
}
