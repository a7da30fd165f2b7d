/** Every `shotline` sub-command; one file each, one line here. */
import type { CliCommand } from '../command';
import { auditCommand } from './audit';
import { complianceCommand } from './compliance';
import { concatCommand } from './concat';
import { elementsCommand } from './elements';
import { eraseCommand } from './erase';
import { infoCommand } from './info';
import { keysCommand } from './keys';
import { retentionCommand } from './retention';
import { runCommand } from './run';
import { statusCommand } from './status';
import { storyboardCommand } from './storyboard';

export const commands: Record<string, CliCommand> = {
  info: infoCommand,
  audit: auditCommand,
  compliance: complianceCommand,
  elements: elementsCommand,
  erase: eraseCommand,
  keys: keysCommand,
  retention: retentionCommand,
  concat: concatCommand,
  run: runCommand,
  status: statusCommand,
  storyboard: storyboardCommand,
};
