/**
 * What a failed HTTP send means for at-most-once delivery. A send may only be `unknown` (recorded as sent,
 * never repeated) when the request could have reached the server whole; a failure before that point is
 * `retryable` (transient: a later run sends) or `rejected` (configuration: fix it, then a re-run sends).
 *
 * Classification is by the Node / undici / OpenSSL error code anywhere down the error's causes, then by
 * evidence of how far the request got (see `markRequestProgress`), then conservatively `unknown`.
 */
export type TransportVerdict =
  | { status: 'retryable'; why: string }
  | { status: 'rejected'; why: string }
  | { status: 'unknown'; why: string };

/** Errno-style codes that mean the connection was never made, so the request cannot have been delivered. */
export const CONNECTION_NOT_MADE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  // undici's connect phase (TCP + TLS handshake) did not finish in time.
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Certificate verification failures (OpenSSL `X509_V_ERR_*` names as Node reports them, plus Node's own
 * hostname check). The TLS handshake failed, so no request byte was sent: a server with a bad certificate,
 * or a TLS-inspecting proxy whose CA this process does not trust (`NODE_EXTRA_CA_CERTS`).
 */
export const TLS_CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_CERT_ALTNAME_FORMAT',
]);

/**
 * Failures raised while the request is being built or the connection set up, from a wrong setting (URL,
 * port, a token with a character no HTTP header may hold, TLS spoken to a plain port): never sent.
 */
export const REQUEST_INVALID_CODES: ReadonlySet<string> = new Set([
  'ERR_INVALID_URL',
  'ERR_INVALID_PROTOCOL',
  'ERR_SOCKET_BAD_PORT',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_HTTP_INVALID_HEADER_VALUE',
  'ERR_UNESCAPED_CHARACTERS',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ERR_TLS_INVALID_PROTOCOL_VERSION',
  'ERR_TLS_PROTOCOL_VERSION_CONFLICT',
  // OpenSSL handshake failures (e.g. ERR_SSL_WRONG_VERSION_NUMBER: TLS to a plain-HTTP port) and EPROTO.
  'EPROTO',
]);

/**
 * Failures that can happen before or after the request was written (reset, broken pipe, socket closed,
 * timeouts, aborts): unknown unless there is evidence the request was not yet written whole.
 */
export const AMBIGUOUS_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_ABORTED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'ABORT_ERR',
]);

// Messages of errors that carry no code but are raised before anything is sent.
const INVALID_HEADER_MESSAGE =
  /invalid header (value|name)|Invalid character in header|is not a legal HTTP header/i;

/** The errno-style code of a network failure, which Node puts on the error or somewhere down its causes. */
export function errnoCode(error: unknown): string | undefined {
  for (const current of causeChain(error)) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The error and its causes, outermost first (bounded). */
function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 6; depth++) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

const REQUEST_WRITTEN = Symbol.for('bedrock-cost.requestWritten');

/**
 * Records on a failure how far its request got: `false` when the request was certainly not written whole
 * (never dispatched, or failed before the transport reported the last byte handed to the OS), `true` when
 * it was. Senders that track their requests mark the error; others leave it unmarked.
 */
export function markRequestProgress<E>(error: E, written: boolean): E {
  if (error !== null && typeof error === 'object' && Object.isExtensible(error)) {
    Object.defineProperty(error, REQUEST_WRITTEN, { value: written, enumerable: false });
  }
  return error;
}

/** `true`/`false` when a tracking sender marked the error (or one of its wrappers), else undefined. */
export function requestWrittenOf(error: unknown): boolean | undefined {
  for (const current of causeChain(error)) {
    const value = (current as Record<symbol, unknown>)[REQUEST_WRITTEN];
    if (typeof value === 'boolean') return value;
  }
  return undefined;
}

/**
 * Classifies a transport failure (no HTTP answer was read). Table-driven over the code found down the
 * causes; an ambiguous or unrecognised failure is `unknown` unless the request is known not to have been
 * written whole, or (syscall `connect` / `getaddrinfo`) failed while connecting.
 */
export function classifyTransportError(error: unknown): TransportVerdict {
  const code = errnoCode(error);
  if (code !== undefined) {
    if (CONNECTION_NOT_MADE_CODES.has(code))
      return { status: 'retryable', why: `${code}: the connection was never made, nothing was sent` };
    if (TLS_CERTIFICATE_CODES.has(code))
      return {
        status: 'rejected',
        why: `${code}: the server's TLS certificate was not accepted (expired, self-signed or a TLS-inspecting proxy; trust its CA with NODE_EXTRA_CA_CERTS), nothing was sent`,
      };
    if (REQUEST_INVALID_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
      return {
        status: 'rejected',
        why: `${code}: the request could not be made (check the endpoint URL, port and token), nothing was sent`,
      };
  }
  if (causeChain(error).some((e) => e instanceof Error && INVALID_HEADER_MESSAGE.test(e.message)))
    return {
      status: 'rejected',
      why: 'a header value holds a character HTTP does not allow (a token with a newline or control character?), nothing was sent',
    };
  const syscall = causeChain(error)
    .map((e) => (e as { syscall?: unknown }).syscall)
    .find((s) => typeof s === 'string');
  if (syscall === 'connect' || syscall === 'getaddrinfo')
    return { status: 'retryable', why: `${code ?? 'error'} while connecting, nothing was sent` };
  const written = requestWrittenOf(error);
  if (written === false)
    return {
      status: 'retryable',
      why: `${code ?? 'failure'} before the request was fully written, nothing was delivered`,
    };
  return {
    status: 'unknown',
    why: `${code ?? 'failure'} ${written ? 'after the request was written' : 'at an unknown point'}: it may have been delivered`,
  };
}
