/** Every `shotline` sub-command; one file each, one line here. */
import type { CliCommand } from '../command';
import { infoCommand } from './info';

export const commands: Record<string, CliCommand> = {
  info: infoCommand,
};
