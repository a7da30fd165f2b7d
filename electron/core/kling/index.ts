/**
 * The Kling client: `createKlingClient(opts)` plus its types. Capability rules, prices, the
 * wire format and the error table live in shared/kling (re-exported here for convenience).
 */
export { createKlingClient, resolveBaseUrl } from './client';
export type {
  KlingClient,
  KlingClientOptions,
  KlingPurpose,
  KlingRequestInfo,
  ListOptions,
  PreparedCreate,
  ResourcePack,
  TaskPage,
  TaskRef,
} from './client';
export { groupsOf } from './new-standard';
export { isDuplicateExternalId, isNotFound } from './transport';
export { createTokenSource, signJwt, JWT_TTL_SEC, JWT_REFRESH_BEFORE_SEC } from './auth';
export type { JwtClaims, KlingCredentials, TokenSource } from './auth';
export { KlingError, isKlingError } from './errors';
export type { KlingErrorKind } from './errors';
export { loadImageFile, resolveImages } from './images';
export { redact, redactAuthorization } from './redact';
export { signWebhook, verifyWebhook } from './webhook';
export type { WebhookHeaders } from './webhook';
export { checkVideoRequest, VideoRequest } from '../../../shared/kling/request';
export { buildWireBody } from '../../../shared/kling/endpoints';
export type { Problem } from '../../../shared/kling/request';
export type { KlingTask, KlingVideo, WireBody } from '../../../shared/kling/wire';
