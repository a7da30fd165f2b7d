/**
 * `shotline`: the headless front over electron/core (README.md, "The CLI"; docs/architecture.md).
 * Exit codes: 0 all done, 1 some job failed or is blocked, 2 bad input or usage.
 */
import { ShotlineError } from '../../shared/result';
import { APP_VERSION } from '../core/version';
import { EXIT_JOBS_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './command';
import { commands } from './commands';
import { stripTerminalControls } from './terminal';

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    `shotline ${APP_VERSION}: batch production for Kling AI video`,
    '',
    'Usage: shotline <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    "  --help      show this help, or a command's usage with `shotline <command> --help`",
    '  --version   print the version',
    '',
    'Exit codes: 0 all done; 1 some job failed or is blocked; 2 bad input or usage.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], rawIo: CliIO): Promise<number> {
  // Nothing from a provider, a file or a task can drive the terminal (./terminal.ts).
  const io: CliIO = {
    ...rawIo,
    stdout: (t) => rawIo.stdout(stripTerminalControls(t)),
    stderr: (t) => rawIo.stderr(stripTerminalControls(t)),
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${APP_VERSION}\n`);
    return EXIT_OK;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`shotline: unknown command "${name}". Run \`shotline --help\` for the list.\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`shotline ${name}: ${err.message}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof ShotlineError) {
      io.stderr(`shotline ${name}: ${err.info.where ? `${err.info.where}: ` : ''}${err.message}\n`);
      return err.info.code === 'validation' || err.info.code.startsWith('usage') ? EXIT_USAGE : EXIT_JOBS_FAILED;
    }
    // parseArgs throws TypeErrors with codes like ERR_PARSE_ARGS_UNKNOWN_OPTION.
    const code = (err as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`shotline ${name}: ${(err as Error).message}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`shotline ${name}: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT_JOBS_FAILED;
  }
}
