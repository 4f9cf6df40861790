/**
 * Amazon Bedrock Reserved tier: a tokens-per-minute reservation per model, direction (input / output) and
 * routing, billed per hour.
 *
 * One billed unit is 1,000 TPM held for one hour. The Price List's unit field says "1M TPM Hour", but its
 * description says "Per Hour per 1K Input TPM Reserved 1 Month Global", and the prices only add up per 1K
 * TPM: Claude Sonnet 4.6 input is $0.198 geo / $0.18 global per unit-hour, exactly 60,000 tokens at the
 * $3.30 / $3.00 per 1M on-demand rate (Haiku 4.5: $0.066 = 60,000 × $1.10 per 1M). So a 1-month reservation
 * costs what on-demand costs at 100% use (3-month: 90%) — it buys guaranteed capacity, not a discount.
 */
export const RESERVED_TPM_PER_UNIT = 1_000;

/**
 * The smallest reservation AWS accepts, per direction, in tokens per minute ("Reserved tier has the following
 * minimum capacity requirements": 100,000 input TPM, 10,000 output TPM — Bedrock user guide, "Service tiers
 * for optimizing performance and cost", service-tiers-inference).
 */
export const RESERVED_MIN_TPM: Readonly<Record<'input' | 'output', number>> = {
  input: 100_000,
  output: 10_000,
};

/** Units (1K TPM each) of the smallest reservation AWS sells in `direction`. */
export function reservedMinUnits(direction: 'input' | 'output'): number {
  return RESERVED_MIN_TPM[direction] / RESERVED_TPM_PER_UNIT;
}
