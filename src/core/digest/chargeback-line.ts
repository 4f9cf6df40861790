import { type DailyFact, UNALLOCATED } from '../facts/daily-fact.js';
import { COMMITMENT_USAGE_KINDS } from '../facts/fact-filters.js';
import { canonicalJson } from '../keys.js';

/** Workload of the line that carries commitment fees nobody tagged. */
export const SHARED_COMMITMENTS = 'shared-commitments';
/** Cost center and team of the shared-commitments line: it belongs to no single owner. */
export const SHARED = '__shared__';

/**
 * - `workload`: spend attributed to a workload (commitment fees included when the commitment is tagged);
 * - `unallocated`: usage with no workload (`__unallocated__`), one line whatever its partial tags say;
 * - `shared-commitments`: Provisioned Throughput / Reserved tier fees whose commitment carries no workload tag.
 */
export type ChargebackLineKind = 'workload' | 'unallocated' | 'shared-commitments';

export interface ChargebackKey {
  costCenter: string;
  team: string;
  workload: string;
  kind: ChargebackLineKind;
}

export const UNALLOCATED_KEY: ChargebackKey = {
  costCenter: UNALLOCATED,
  team: UNALLOCATED,
  workload: UNALLOCATED,
  kind: 'unallocated',
};

export const SHARED_COMMITMENTS_KEY: ChargebackKey = {
  costCenter: SHARED,
  team: SHARED,
  workload: SHARED_COMMITMENTS,
  kind: 'shared-commitments',
};

export function isCommitmentFee(fact: DailyFact): boolean {
  return COMMITMENT_USAGE_KINDS.has(fact.usageKind);
}

/** The chargeback line a fact's cost lands on before any unallocated split. */
export function chargebackKeyOf(fact: DailyFact): ChargebackKey {
  const tagged = fact.workload !== UNALLOCATED && fact.workload.trim() !== '';
  if (isCommitmentFee(fact)) {
    // A commitment is bought once and shared: it is charged to the workload its tags name, never spread
    // over whoever happens to call the model.
    return tagged
      ? { costCenter: fact.costCenter, team: fact.team, workload: fact.workload, kind: 'workload' }
      : SHARED_COMMITMENTS_KEY;
  }
  if (!tagged) return UNALLOCATED_KEY;
  return { costCenter: fact.costCenter, team: fact.team, workload: fact.workload, kind: 'workload' };
}

export function chargebackId(key: ChargebackKey): string {
  // canonicalJson, not tupleKey: allocate() orders lines by this id, and that order is part of the output.
  return canonicalJson([key.kind, key.costCenter, key.team, key.workload]);
}

/** How a line is named in tables and messages. */
export function lineLabel(key: ChargebackKey): string {
  if (key.kind === 'unallocated') return 'Unallocated (untagged)';
  if (key.kind === 'shared-commitments') return 'Shared commitments (untagged PT / Reserved)';
  return `${key.costCenter} / ${key.team} / ${key.workload}`;
}
