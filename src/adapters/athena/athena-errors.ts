import { AppError } from '../../core/errors.js';

/** An Athena query ended FAILED or CANCELLED, or was stopped for running too long. */
export class AthenaQueryError extends AppError {
  readonly _tag = 'AthenaQueryError';
  readonly queryExecutionId: string;
  readonly state: string;

  constructor(
    message: string,
    details: { queryExecutionId: string; state: string; retryable?: boolean; cause?: unknown },
  ) {
    super(message, {
      ...(details.retryable === undefined ? {} : { retryable: details.retryable }),
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.queryExecutionId = details.queryExecutionId;
    this.state = details.state;
  }
}
