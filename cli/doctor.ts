import { writeFile, rename } from 'node:fs/promises';
import type { Check } from '../checks/types.js';
import { runDoctor, type DoctorRun } from '../checks/doctor.js';
import { renderFixes } from '../checks/fix-report.js';
import { CHECKS } from '../checks/index.js';
import { exitCodeFor, renderReport, shouldColor, REPORT_FORMATS, type Report, type ReportFormat } from '../lib/report/index.js';
import type { AuditedConfig } from '../lib/report/types.js';
import { targetFromFlags, targetsFromInventory, type HostFlags } from './host-target.js';
import { scrub } from '../lib/secrets/scrub.js';
import { EXIT, UsageError } from './exit-codes.js';
import { toolVersion } from './version.js';

export interface DoctorFlags extends HostFlags {
  fix?: boolean;
  dryRun?: boolean;
  profile: string;
  only?: string[];
  skip?: string[];
  waivers?: string;
  format: string;
  output?: string;
  list?: boolean;
}

function catalogOf(checks: readonly Check[]): Report['catalog'] {
  return checks.map(({ id, title, severity, rationale, runbook, fixSummary }) => ({ id, title, severity, rationale, runbook, fixSummary }));
}

/** Several hosts' runs as one report: results keep their host; the run spans the earliest start to the last end. */
function mergeRuns(runs: DoctorRun[]): DoctorRun {
  if (runs.length === 1) return runs[0]!;
  const sorted = [...runs].sort((a, b) => a.host.localeCompare(b.host));
  const started = Math.min(...sorted.map((r) => Date.parse(r.startedAt)));
  const ended = Math.max(...sorted.map((r) => Date.parse(r.startedAt) + r.durationMs));
  return {
    host: sorted.map((r) => r.host).join(', '),
    profile: sorted[0]!.profile,
    checks: sorted[0]!.checks,
    results: sorted.flatMap((r) => r.results),
    fixes: sorted.flatMap((r) => r.fixes),
    startedAt: new Date(started).toISOString(),
    durationMs: ended - started,
  };
}

async function writeOutput(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await rename(temp, path);
}

export async function doctorCommand(flags: DoctorFlags): Promise<number> {
  if (!REPORT_FORMATS.includes(flags.format as ReportFormat)) {
    throw new UsageError(`unknown --format "${flags.format}": use one of ${REPORT_FORMATS.join(', ')}`);
  }
  if (flags.dryRun && !flags.fix) throw new UsageError('--dry-run goes with --fix');
  if (flags.list) {
    for (const check of CHECKS) process.stdout.write(`${check.id.padEnd(36)} ${check.severity.padEnd(8)} ${check.profiles.join(',').padEnd(24)} ${check.title}\n`);
    return EXIT.ok;
  }
  // The waiver module brings the YAML parser: loaded only when there is a waiver file.
  const waiverModule = flags.waivers ? await import('../checks/waivers.js') : null;
  const waivers = waiverModule && flags.waivers ? await waiverModule.loadWaivers(flags.waivers) : [];
  if (flags.host && flags.inventory) throw new UsageError('give --host or -i INVENTORY, not both');
  const options = {
    profile: flags.profile,
    only: flags.only ?? [],
    skip: flags.skip ?? [],
    fix: flags.fix === true,
    dryRun: flags.dryRun === true,
    onProgress: (line: string) => {
      if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
    },
  };
  const runs: DoctorRun[] = [];
  const configs = new Map<string, AuditedConfig>();
  // The configuration each host's first collection read is the one reported (collectFacts tells it once).
  const auditing = (host: string) => ({ ...options, onConfig: (config: { path: string; exists: boolean }) => configs.set(host, { host, ...config }) });
  let unreachable = false;
  if (flags.inventory) {
    const hosts = await targetsFromInventory(flags.inventory, flags);
    // Every host in parallel; one that cannot be reached is reported and the others go on (exit 3).
    await Promise.all(
      hosts.map(async (host) => {
        try {
          const { target, sudo } = await host.connect();
          try {
            runs.push(await runDoctor(target, { ...auditing(target.name), sudo }));
          } finally {
            await target.close();
          }
        } catch (error) {
          if ((error as Error).name !== 'TargetUnreachableError') throw error;
          unreachable = true;
          process.stderr.write(`kafclaw: ${scrub((error as Error).message)}\n`);
        }
      }),
    );
    if (runs.length === 0) return EXIT.unreachable;
  } else {
    const { target, sudo } = await targetFromFlags(flags);
    try {
      runs.push(await runDoctor(target, { ...auditing(target.name), sudo }));
    } finally {
      await target.close();
    }
  }
  const run = mergeRuns(runs);
  const results = waiverModule ? waiverModule.applyWaivers(run.results, waivers, new Date(), { knownIds: CHECKS.map((check) => check.id) }) : run.results;
  const waiverEntries = waiverModule ? [waiverModule.WAIVER_EXPIRED, waiverModule.WAIVER_UNUSED].filter((entry) => results.some((r) => r.id === entry.id)) : [];
  const report: Report = {
    tool: { name: 'kafclaw-hardening', version: toolVersion() },
    host: run.host,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    profile: run.profile as Report['profile'],
    results,
    catalog: [...catalogOf(run.checks), ...waiverEntries],
    configs: [...configs.values()].sort((a, b) => a.host.localeCompare(b.host)),
  };
  const format = flags.format as ReportFormat;
  const stream = flags.output ? null : process.stdout;
  let text = renderReport(format, report, { color: stream ? shouldColor(stream, process.env) : false });
  if (flags.fix) {
    if (format === 'json') {
      const object = JSON.parse(text) as Record<string, unknown>;
      object.fixes = run.fixes;
      text = scrub(JSON.stringify(object, null, 2)) + '\n';
    } else if (format === 'text' || format === 'md') {
      text += '\n' + scrub(renderFixes(run.fixes, flags.dryRun === true));
    }
  }
  if (flags.output) {
    await writeOutput(flags.output, text);
    process.stderr.write(`report written to ${flags.output}\n`);
  } else {
    process.stdout.write(text);
  }
  const failedFix = run.fixes.some((f) => f.outcome === 'failed');
  if (unreachable) return EXIT.unreachable;
  return Math.max(exitCodeFor(results), failedFix ? EXIT.findings : EXIT.ok);
}
