/**
 * Errors cross every boundary (IPC, test bridge, CLI JSON) as data, because only an
 * Error's message survives Electron's structured clone. Mirrors Signal's sql channel.
 */
import { z } from 'zod';

export const ErrorInfo = z.object({
  /** Stable machine code, e.g. `validation`, `not_found`, `kling_1303`. */
  code: z.string(),
  /** What went wrong and how to fix it, written for a person. */
  message: z.string(),
  /** Where: file, row, field… when known. */
  where: z.string().optional(),
  retryable: z.boolean().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** An error that carries an ErrorInfo, so handlers can throw and fronts can serialise. */
export class ShotlineError extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'ShotlineError';
    this.info = info;
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof ShotlineError) return err.info;
  if (err instanceof z.ZodError) {
    const first = err.issues[0];
    const where = first ? first.path.join('.') : undefined;
    return {
      code: 'validation',
      message: err.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; '),
      ...(where ? { where } : {}),
    };
  }
  if (err instanceof Error) return { code: 'internal', message: err.message };
  return { code: 'internal', message: String(err) };
}
