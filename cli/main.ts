#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { EXIT } from './exit-codes.js';
import { reportFailure } from './errors.js';
import { toolVersion } from './version.js';

/** The `--store` default is shown as `~/.kafclaw/ops.db`; undefined lets the command resolve $HOME. */
const storeFlag = <T extends { store?: string }>(flags: T): T => (flags.store === '~/.kafclaw/ops.db' ? { ...flags, store: undefined } : flags);

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

const collect = (value: string, previous: string[] = []) => [...previous, value];

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
    .option('-i, --inventory <file>', 'run the checks on every host of an Ansible YAML inventory, in parallel')
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
    .description('config source, gateway bind and auth state, providers and channels, gateway reachability, last backup, last restore test, token age')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      [
        '',
        'Reads the configuration as doctor does, and the operations store',
        '(~/.kafclaw/ops.db) without creating it. Probes the gateway on loopback only.',
        'The token shows as a sha256: fingerprint; its age is that of the newest',
        'rotation recorded for this token.',
      ].join('\n'),
    )
    .action(async (flags) => {
      const { statusCommand } = await import('./status.js');
      setExit(await statusCommand(flags));
    });

  const token = program.command('token').description('the gateway token: generate one, rotate it (recorded in ~/.kafclaw/ops.db), or show its source, fingerprint and age');
  token
    .command('generate')
    .description('make a new 32-byte gateway token without installing it, for a secrets manager or another host')
    .option('--out <file>', 'write it to this new file (0600); an existing file is never overwritten')
    .option('--show', 'print it on stdout, alone on one line')
    .addHelpText(
      'after',
      [
        '',
        'Says where the token went and its sha256: fingerprint (on stderr with --show); needs --out or --show.',
        'To install a token on this machine use `kafclaw token rotate`, which also records the rotation.',
        'Exit codes: 0 generated, 1 the file could not be written, 2 bad input or the file exists.',
      ].join('\n'),
    )
    .action(async (flags) => {
      const { tokenGenerateCommand } = await import('./token.js');
      setExit(tokenGenerateCommand(flags));
    });
  token
    .command('rotate')
    .description('write a new 32-byte gateway token into ~/.config/kafclaw/env (0600, the old file backed up) and record the rotation')
    .option('--show', 'also print the new token, once, on stdout')
    .option('--grace <duration>', 'keep the old token valid this long beside the new one (30m, 2h, 1d; at most 30d)')
    .addHelpText(
      'after',
      [
        '',
        'Prints where the token went and its sha256: fingerprint, never the token unless --show.',
        'Without --grace the old token stops working at the gateway\'s next reload (SIGHUP,',
        '`systemctl reload kafclaw-gateway`), so give the clients the new token first. With --grace the',
        'old token goes into the same env file as KAFCLAW_GATEWAY_PREVIOUS_AUTH_TOKEN, with its expiry',
        'as KAFCLAW_GATEWAY_PREVIOUS_AUTH_EXPIRES; the next rotation replaces or removes both.',
        'Refuses (exit 2) when config.json holds the token as a literal (run',
        '`kafclaw doctor --fix --only gateway.token-not-in-config` first) or when another source',
        'would override the env file.',
        'Exit codes: 0 rotated and recorded, 1 the rotation failed or could not be recorded, 2 refused or bad input.',
      ].join('\n'),
    )
    .action(async (flags) => {
      const { tokenRotateCommand } = await import('./token.js');
      setExit(await tokenRotateCommand(flags));
    });
  token
    .command('status')
    .description('where the gateway token comes from, its sha256: fingerprint and its age from the rotation record')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nReads the configuration and ~/.kafclaw/ops.db (never creating it). Exit codes: 0 printed, 2 bad input.')
    .action(async (flags) => {
      const { tokenStatusCommand } = await import('./token.js');
      setExit(await tokenStatusCommand(flags));
    });

  program
    .command('provision')
    .description('run a playbook against the hosts of an inventory over SSH (one connection and one facts probe per host)')
    .argument('<playbook>', 'the playbook, e.g. playbooks/harden.yml')
    .requiredOption('-i, --inventory <file>', 'Ansible YAML inventory')
    .option('-e, --extra-vars <var>', 'KEY=VALUE, @FILE or a {…} mapping; highest precedence (repeatable)', collect)
    .option('--check', 'show what would change and change nothing on any host')
    .option('--diff', 'print before and after of each change (secrets as a hash or (secret))')
    .option('--limit <hosts>', 'only these hosts or groups (an inventory pattern)')
    .option('--tags <tags>', 'only tasks with these tags (comma-separated, repeatable)', list)
    .option('--skip-tags <tags>', 'skip tasks with these tags (comma-separated, repeatable)', list)
    .option('--forks <n>', 'hosts at once (default: every host, at most 50)')
    .option('--known-hosts <file>', 'known_hosts file when the inventory sets no known_hosts_file (default ~/.ssh/known_hosts)')
    .option('--accept-new-host-keys', 'record an unknown host key instead of refusing it (a changed key is always refused)')
    .addOption(new Option('--format <format>', 'progress and summary format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExit codes: 0 converged (or nothing to change), 1 a change failed, 2 usage or input error, 3 a host unreachable.')
    .action(async (playbook: string, flags) => {
      const { provisionCommand } = await import('./provision.js');
      setExit(await provisionCommand(playbook, flags));
    });

  const lab = program.command('lab').description('throwaway local Debian 12 hosts for trying playbooks (needs root)');
  lab
    .command('up')
    .description('boot lab hosts that stay up until `kafclaw lab down`; prints how to reach them')
    .option('--count <n>', 'how many hosts', '1')
    .option('--sudo-user <name>', 'also create this login with passwordless sudo and the lab key')
    .option('--admin <name>', 'the personal admin login the printed inventory gives harden.yml', 'alice')
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

  program
    .command('backup')
    .description('snapshot timeline.db (online), a sanitized config.json and the identity files, with a manifest; verify it, record it')
    .option('--dest <dir>', 'where backups go (default /var/backups/kafclaw when it exists and is writable, else ~/.kafclaw/backups)')
    .option('--encrypt-key <ref>', 'encrypt with a 32-byte key (64 hex or base64) from env:NAME, file:PATH or command:CMD; never the key itself')
    .option('--archive', 'write one tar file kafclaw-backup-<time>.tar (atomically) instead of a directory')
    .option('--extra <file>', 'also back up this file (repeatable); stored under extra/', collect)
    .option('--full-verify', 're-hash every file of the new backup after publishing it (default: manifest, MAC, file set and sizes; the digests come from reading the written files back)')
    .option('--retain <d,w,m>', 'keep this many daily, weekly and monthly backups (the newest verified one always stays), or none', '7,4,6')
    .option('--store <file>', 'operations database that records backups and restore tests', '~/.kafclaw/ops.db')
    .addHelpText(
      'after',
      '\nReads the state and config as the gateway does: timeline.db from $HOME/.kafclaw, the config from\n' +
        'KAFCLAW_CONFIG or ~/.kafclaw/config.json, identity files from its paths.workspace.\n' +
        'Progress goes to stderr when a phase takes over a second.\n' +
        'Exit codes: 0 backup written and verified, 1 the backup failed or fails verification, 2 bad input.',
    )
    .action(async (flags) => {
      const { backupCommand } = await import('./backup.js');
      setExit(await backupCommand(storeFlag(flags)));
    });

  program
    .command('restore')
    .description('verify a backup, then restore it into a directory (timeline.db, config.json, workspace/, extra/)')
    .argument('<backup>', 'the backup directory or archive (kafclaw-backup-<time>[.tar])')
    .requiredOption('--to <dir>', 'directory to restore into; must be empty or missing unless --replace')
    .option('--replace', 'replace a non-empty --to directory (swapped in whole once everything is written)')
    .option('--encrypt-key <ref>', 'the key of an encrypted backup: env:NAME, file:PATH or command:CMD')
    .addHelpText('after', '\nNothing is written unless the whole backup verifies.\nExit codes: 0 restored, 1 the backup fails verification or the restore failed, 2 bad input.')
    .action(async (backup: string, flags) => {
      const { restoreCommand } = await import('./backup.js');
      setExit(await restoreCommand(backup, flags));
    });

  program
    .command('restore-test')
    .description('restore a backup onto a clean target, check it (checksums, SQLite, config, identity files), boot the gateway on it, record the result')
    .argument('[backup]', 'the backup directory or archive to test')
    .option('--latest', 'test the newest backup in --dest')
    .option('--dest <dir>', 'with --latest: where backups are (default as for `kafclaw backup`)')
    .option('--encrypt-key <ref>', 'the key of an encrypted backup: env:NAME, file:PATH or command:CMD')
    .option('--store <file>', 'operations database that records the result', '~/.kafclaw/ops.db')
    .option('--keep-work-dir', 'keep the local scratch directory (to inspect a failure)')
    .option('--host <user@host[:port]>', 'run the drill on this separate clean host over SSH (sha256sum and install there; SQLite and gateway checks on the pulled-back files here)')
    .option('--identity <file>', 'with --host: the SSH private key')
    .option('--known-hosts <file>', 'with --host: known_hosts file the host key must be in')
    .option('--accept-new-host-keys', 'with --host: record an unknown host key instead of refusing it')
    .addHelpText('after', '\nExit codes: 0 every step passed, 1 a step failed (named on stderr), 2 bad input, 3 host unreachable.')
    .action(async (backup: string | undefined, flags) => {
      const { restoreTestCommand } = await import('./backup.js');
      setExit(await restoreTestCommand(backup, storeFlag(flags)));
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
