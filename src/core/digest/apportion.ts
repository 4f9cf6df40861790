/**
 * Splits an exact integer amount across weights with the largest-remainder (Hamilton) method, so the parts
 * always sum to the amount exactly: floor shares first, then the leftover units go one each to the largest
 * remainders. Ties break on the larger weight, then on position, so the split is deterministic.
 * Negative weights count as zero (a line with net credits does not absorb unallocated spend). Returns null
 * when no weight is positive: there is nothing to split in proportion to.
 */
export function apportion(amount: bigint, weights: readonly bigint[]): bigint[] | null {
  if (amount < 0n) {
    const parts = apportion(-amount, weights);
    return parts === null ? null : parts.map((p) => -p);
  }
  const clamped = weights.map((w) => (w > 0n ? w : 0n));
  const total = clamped.reduce((a, b) => a + b, 0n);
  if (total === 0n) return null;
  const parts = clamped.map((w) => (amount * w) / total);
  const remainders = clamped.map((w, index) => ({ index, weight: w, rest: (amount * w) % total }));
  let leftover = amount - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => {
    if (a.rest !== b.rest) return a.rest > b.rest ? -1 : 1;
    if (a.weight !== b.weight) return a.weight > b.weight ? -1 : 1;
    return a.index - b.index;
  });
  for (const r of remainders) {
    if (leftover === 0n) break;
    if (r.weight === 0n) continue;
    parts[r.index]! += 1n;
    leftover -= 1n;
  }
  return parts;
}
