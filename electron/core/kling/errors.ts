/**
 * KlingError: every failure of a Kling call, typed. Business codes come from the shared
 * table (shared/kling/errors.ts); transport failures (network, timeout, unreadable answer)
 * have `code: null` and are retryable.
 */
import { describeKlingCode, klingCodeInfo, type KlingErrorCategory } from '../../../shared/kling/errors';
import { ShotlineError } from '../../../shared/result';

/** `expired`: a result URL answered 403/404 (query the task again for a fresh URL). */
export type KlingErrorKind = 'business' | 'network' | 'timeout' | 'protocol' | 'expired';

export interface KlingErrorInit {
  kind: KlingErrorKind;
  code: number | null;
  httpStatus: number | null;
  message: string;
  retryable: boolean;
  needsUser: boolean;
  category: KlingErrorCategory;
  requestId?: string | null;
  serverMessage?: string | null;
  where?: string;
}

export class KlingError extends ShotlineError {
  readonly kind: KlingErrorKind;
  /** Kling's business code; null for transport failures. */
  readonly code: number | null;
  readonly httpStatus: number | null;
  readonly retryable: boolean;
  readonly needsUser: boolean;
  readonly category: KlingErrorCategory;
  readonly requestId: string | null;
  readonly serverMessage: string | null;

  constructor(init: KlingErrorInit) {
    super({
      code: init.code !== null ? `kling_${init.code}` : `kling_${init.kind}`,
      message: init.message,
      retryable: init.retryable,
      ...(init.where ? { where: init.where } : {}),
    });
    this.name = 'KlingError';
    this.kind = init.kind;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.retryable = init.retryable;
    this.needsUser = init.needsUser;
    this.category = init.category;
    this.requestId = init.requestId ?? null;
    this.serverMessage = init.serverMessage ?? null;
  }

  static business(
    code: number,
    httpStatus: number,
    serverMessage: string | null,
    requestId: string | null,
    where?: string,
  ): KlingError {
    const info = klingCodeInfo(code, httpStatus);
    return new KlingError({
      kind: 'business',
      code,
      httpStatus,
      message: describeKlingCode(code, serverMessage, httpStatus) + (requestId ? ` [request ${requestId}]` : ''),
      retryable: info.retryable,
      needsUser: info.needsUser,
      category: info.category,
      requestId,
      serverMessage,
      ...(where ? { where } : {}),
    });
  }

  static transport(
    kind: Exclude<KlingErrorKind, 'business'>,
    message: string,
    httpStatus: number | null = null,
    where?: string,
  ): KlingError {
    return new KlingError({
      kind,
      code: null,
      httpStatus,
      message,
      retryable: true,
      needsUser: false,
      category: 'transport',
      ...(where ? { where } : {}),
    });
  }
}

export function isKlingError(e: unknown): e is KlingError {
  return e instanceof KlingError;
}
