/**
 * A core answer in a CLI command (commands that are fronts over core.call, issue 18 item 2):
 * its value, or its error thrown as a ShotlineError; bad input is a usage error (exit 2).
 */
import { ShotlineError, type Result } from '../../shared/result';
import { UsageError } from './command';

const BAD_INPUT = new Set(['media_missing', 'media_invalid', 'validation']);

export function valueOf<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  if (BAD_INPUT.has(r.error.code)) throw new UsageError(r.error.message);
  throw new ShotlineError(r.error);
}
