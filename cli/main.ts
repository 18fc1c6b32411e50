#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { EXIT } from './exit-codes.js';
import { reportFailure } from './errors.js';
import { toolVersion } from './version.js';

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('kafclaw')
    .description('Audit, harden and operate KafClaw gateways (kafclaw-hardening)')
    .version(toolVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('doctor')
    .description('run the checks of a profile against this machine; --fix repairs what can be repaired safely')
    .option('--fix', 'apply each failing check\'s fix, re-run that check and report repaired / skipped / failed')
    .option('--dry-run', 'with --fix: show the changes as a diff and change nothing')
    .option('--profile <profile>', 'doctor | host | monitor | go-live', 'doctor')
    .option('--only <ids>', 'run only these check ids (comma-separated, repeatable)', list)
    .option('--skip <ids>', 'skip these check ids (comma-separated, repeatable)', list)
    .option('--waivers <file>', 'YAML list of {id, match, reason, owner, expires}')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'sarif', 'junit', 'md']).default('text'))
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option('--list', 'list every check id with its severity, profiles and title')
    .option('--host <user@host[:port]>', 'run the checks on this host over SSH (sudo when the login is not root)')
    .option('--identity <file>', 'with --host: the SSH private key')
    .option('--known-hosts <file>', 'with --host: known_hosts file the host key must be in', undefined)
    .option('--accept-new-host-keys', 'with --host: record an unknown host key instead of refusing it (a changed key is always refused)')
    .addHelpText('after', '\nExit codes: 0 nothing failing, 1 findings or failed fixes, 2 usage or input error, 3 host unreachable.')
    .action(async (flags) => {
      const { doctorCommand } = await import('./doctor.js');
      setExit(await doctorCommand(flags));
    });

  program
    .command('status')
    .description('config source, gateway bind and auth state, providers and channels, gateway reachability')
    .option('--json', 'print one JSON object')
    .action(async (flags) => {
      const { statusCommand } = await import('./status.js');
      setExit(await statusCommand(flags));
    });

  const lab = program.command('lab').description('throwaway local Debian 12 hosts for trying playbooks (needs root)');
  lab
    .command('up')
    .description('boot lab hosts that stay up until `kafclaw lab down`; prints how to reach them')
    .option('--count <n>', 'how many hosts', '1')
    .option('--sudo-user <name>', 'also create this login with passwordless sudo and the lab key')
    .option('--json', 'print the hosts as JSON')
    .action(async (flags) => {
      const { labUpCommand } = await import('./lab.js');
      setExit(await labUpCommand(flags));
    });
  lab
    .command('down')
    .description('stop and remove lab hosts')
    .argument('[names...]', 'hosts to remove')
    .option('--all', 'remove every kept lab host')
    .action(async (names: string[], flags) => {
      const { labDownCommand } = await import('./lab.js');
      setExit(await labDownCommand(names, flags));
    });
  lab
    .command('list')
    .description('list lab hosts')
    .option('--json', 'print the hosts as JSON')
    .action(async (flags) => {
      const { labListCommand } = await import('./lab.js');
      setExit(await labListCommand(flags));
    });

  program
    .command('gateway')
    .description('run the gateway runtime in the foreground (SIGTERM stops it gracefully, SIGHUP reloads tokens and policy)')
    .action(async () => {
      const { gatewayCommand } = await import('./gateway.js');
      setExit(await gatewayCommand());
    });

  return program;
}

async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((value) => (code = value));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    return reportFailure(error);
  }
}

// A reader that goes away (`kafclaw doctor | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
