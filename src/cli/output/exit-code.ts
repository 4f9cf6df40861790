/** Exit status after sending: the process failed (1) or should be run again later (75, EX_TEMPFAIL). */
export const EXIT_FAILED = 1;
export const EXIT_RETRY_LATER = 75;

/**
 * The exit status of a run that sent (alerts or reports): 1 when any send was rejected (configuration:
 * a missing token, an unknown channel, a refused certificate) or the notification log failed; 75 when a
 * send should be retried later; 0 otherwise (delivered, unknown, already sent, suppressed, …).
 */
export function sendExitCode(outcomes: readonly string[]): number {
  if (outcomes.some((o) => o === 'rejected' || o === 'error')) return EXIT_FAILED;
  if (outcomes.some((o) => o === 'retry')) return EXIT_RETRY_LATER;
  return 0;
}
