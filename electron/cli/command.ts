/** The shape of one `shotline` sub-command, and the exit codes of README.md, "The CLI". */
export const EXIT_OK = 0;
export const EXIT_JOBS_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliIO {
  stdout: (text: string) => void;
  /** Human progress and messages; never mixed into --json output. */
  stderr: (text: string) => void;
  /** Reads all of stdin (secrets come this way, never from argv). */
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Asks a yes/no question on the terminal; absent when stdin is not a TTY (electron/cli/confirm.ts). */
  confirm?: (question: string) => Promise<boolean>;
}

export interface CliCommand {
  summary: string;
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Bad input or usage: exit 2, with a message that names file, row and field. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
