import { describe, expect, it } from 'vitest';
import { awsErrorFacts, isRetryableAwsError, isTryLater } from '../../src/adapters/aws-errors.js';

/** An error shaped like the AWS SDK v3's service exceptions. */
function sdkError(name: string, status?: number, retryable?: boolean): Error {
  const error = new Error(`${name} happened`) as Error & Record<string, unknown>;
  error.name = name;
  if (status !== undefined) error.$metadata = { httpStatusCode: status };
  if (retryable) error.$retryable = { throttling: true };
  return error;
}

describe('AWS SDK error facts', () => {
  it('reads the code, message, HTTP status and the SDK retry mark', () => {
    expect(awsErrorFacts(sdkError('ThrottlingException', 400, true))).toEqual({
      name: 'ThrottlingException',
      message: 'ThrottlingException happened',
      status: 400,
      sdkRetryable: true,
    });
    expect(awsErrorFacts(undefined)).toEqual({
      name: undefined,
      message: undefined,
      status: undefined,
      sdkRetryable: false,
    });
  });

  it('says "try later" for 5xx, 429 and throttling or unavailable codes of any service', () => {
    for (const [name, status] of [
      ['InternalServerError', 500],
      ['Whatever', 503],
      ['TooManyRequestsException', 429],
      ['ThrottlingException', 400],
      ['ProvisionedThroughputExceededException', 400],
      ['KMSThrottlingException', 400],
      ['RequestLimitExceeded', 400],
    ] as const) {
      expect(isTryLater(awsErrorFacts(sdkError(name, status))), name).toBe(true);
    }
    for (const [name, status] of [
      ['AccessDeniedException', 403],
      ['ResourceNotFoundException', 400],
      ['AuthorizationError', 403],
      ['ValidationException', 400],
    ] as const) {
      expect(isTryLater(awsErrorFacts(sdkError(name, status))), name).toBe(false);
    }
  });

  it('retries an idempotent call on try-later answers, SDK-marked errors and failures without a response', () => {
    expect(isRetryableAwsError(sdkError('ThrottlingException', 400))).toBe(true);
    expect(isRetryableAwsError(sdkError('AccessDeniedException', 403, true))).toBe(true);
    expect(isRetryableAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      true,
    );
    expect(isRetryableAwsError(sdkError('AccessDeniedException', 403))).toBe(false);
    expect(isRetryableAwsError(sdkError('ResourceNotFoundException', 400))).toBe(false);
  });
});
