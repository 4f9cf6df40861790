/**
 * What a commitment's usage type says. Provisioned Throughput bills per model-unit hour:
 * `USE1-Nova2.0Lite-ProvisionedThroughput-NoCommit-ModelUnits`, `…-1month-…`, `…-6month-…` (`-Custom-` for
 * custom models). Reserved tier bills per 1K-TPM hour (labelled "1M TPM Hour", see reserved-tier.ts) per direction and routing:
 * `USE1-Reserved_1Month_InputTPM_Geo-Units` (Marketplace models: `USE1-MP:USE1_Reserved_…`).
 */
export type CommitmentKind = 'provisioned-throughput' | 'reserved-tier';
export type CommitmentTerm = 'no-commit' | '1-month' | '3-month' | '6-month' | 'unknown';

export interface CommitmentUsageType {
  kind: CommitmentKind;
  term: CommitmentTerm;
  /** Reserved tier reserves input and output TPM separately. */
  direction: 'input' | 'output' | null;
  routing: 'geo' | 'global' | 'in-region' | null;
  custom: boolean;
}

function termOf(usageType: string): CommitmentTerm {
  if (/(^|[-_:])no-?commit(?=$|[-_])/i.test(usageType)) return 'no-commit';
  const months = /(^|[-_:])(\d+)-?months?(?=$|[-_])/i.exec(usageType);
  if (!months) return 'unknown';
  switch (Number(months[2])) {
    case 1:
      return '1-month';
    case 3:
      return '3-month';
    case 6:
      return '6-month';
    default:
      return 'unknown';
  }
}

export function parseCommitmentUsageType(usageType: string): CommitmentUsageType | null {
  const lower = usageType.toLowerCase();
  if (lower.includes('provisionedthroughput') || lower.includes('modelunits')) {
    return {
      kind: 'provisioned-throughput',
      term: termOf(usageType),
      direction: null,
      routing: null,
      custom: /(^|[-_])custom(?=$|[-_])/i.test(usageType),
    };
  }
  if (/(^|[-_:])reserved(?=$|[-_])/i.test(usageType)) {
    const direction = /input_?tpm/i.test(usageType)
      ? 'input'
      : /output_?tpm/i.test(usageType)
        ? 'output'
        : null;
    const routing = /(^|[-_])global(?=$|[-_])/i.test(usageType)
      ? 'global'
      : /(^|[-_])geo(?=$|[-_])/i.test(usageType)
        ? 'geo'
        : 'in-region';
    return { kind: 'reserved-tier', term: termOf(usageType), direction, routing, custom: false };
  }
  return null;
}

/** True when the commitment cannot be cancelled before its term ends (the term renews unless stopped). */
export function isCommittedTerm(term: CommitmentTerm): boolean {
  return term === '1-month' || term === '3-month' || term === '6-month';
}
