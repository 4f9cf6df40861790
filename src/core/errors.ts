/** Base of every expected failure: carries a stable `_tag` and says whether a retry can help. */
export abstract class AppError extends Error {
  abstract readonly _tag: string;
  readonly retryable: boolean;

  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

/** A file or object could not be read as the CUR format it claims to be (corrupt, truncated, wrong schema). */
export class InputError extends AppError {
  readonly _tag = 'InputError';
}

/** The configuration file is missing, unreadable or invalid; the message names the key path. */
export class ConfigError extends AppError {
  readonly _tag = 'ConfigError';
}

/** Σ fact cost differs from Σ Bedrock line-item cost: facts are not written. */
export class ReconciliationError extends AppError {
  readonly _tag = 'ReconciliationError';
}

/** The fact store or state store failed to read or write. */
export class StoreError extends AppError {
  readonly _tag = 'StoreError';
}

/** Normalises anything thrown into a message that is safe to print. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
