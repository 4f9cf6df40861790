/**
 * What an AWS SDK v3 error says about itself: its error code (`name`), the HTTP status of the response
 * (undefined when none came back: a network failure or a client-side error), and whether the SDK's own retry
 * strategy marked it retryable (`$retryable`).
 */
export interface AwsErrorFacts {
  name: string | undefined;
  message: string | undefined;
  status: number | undefined;
  sdkRetryable: boolean;
}

export function awsErrorFacts(error: unknown): AwsErrorFacts {
  const e = (error ?? {}) as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  return {
    name: e.name,
    message: e.message,
    status: e.$metadata?.httpStatusCode,
    sdkRetryable: e.$retryable !== undefined,
  };
}

/** Error codes that mean "not done, try later" whatever the HTTP status, across the services used here. */
const TRY_LATER_CODES =
  /^(Throttl|KMSThrottling|TooManyRequests|RequestLimitExceeded|ProvisionedThroughputExceeded|ServiceUnavailable|InternalError|InternalFailure|InternalServerError)/;

/** The service answered "later": HTTP 5xx or 429, or a throttling / unavailable error code. */
export function isTryLater(facts: AwsErrorFacts): boolean {
  if (facts.status !== undefined && (facts.status >= 500 || facts.status === 429)) return true;
  return TRY_LATER_CODES.test(facts.name ?? '');
}

/** For idempotent calls: throttling, 5xx and failures without a response (network) may pass on a retry. */
export function isRetryableAwsError(error: unknown): boolean {
  const facts = awsErrorFacts(error);
  return facts.sdkRetryable || facts.status === undefined || isTryLater(facts);
}
