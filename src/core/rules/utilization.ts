import type { DailyFact } from '../facts/daily-fact.js';

/**
 * Measured utilization of commitments: commitment id (see `commitmentId`) or resource id → day → fraction of the
 * commitment used (0–1), or null when the source has no reading for that day. Null is unknown, never zero.
 */
export type UtilizationData = Readonly<Record<string, Readonly<Record<string, number | null>>>>;

/**
 * Identity of a commitment fee: its resource id (the provisioned model ARN) when CUR carries one, else the
 * model/account/region it is bought for.
 */
export function commitmentId(
  fact: Pick<DailyFact, 'resourceId' | 'usageAccount' | 'region' | 'model'>,
): string {
  const resource = fact.resourceId.trim();
  if (resource !== '' && resource !== 'none') return resource;
  return `${fact.usageAccount}/${fact.region}/${fact.model}`;
}

/** 'measured' with a fraction, 'unknown' (source has the commitment but no reading for the day), or 'no-source'. */
export type UtilizationReading =
  | { kind: 'measured'; utilization: number; sourceKey: string }
  | { kind: 'unknown'; sourceKey: string }
  | { kind: 'no-source' };

export function readUtilization(
  data: UtilizationData | undefined,
  keys: readonly string[],
  day: string,
): UtilizationReading {
  if (!data) return { kind: 'no-source' };
  for (const key of keys) {
    if (!Object.hasOwn(data, key)) continue;
    const byDay = data[key]!;
    const value = Object.hasOwn(byDay, day) ? byDay[day] : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) {
      return { kind: 'measured', utilization: value, sourceKey: key };
    }
    return { kind: 'unknown', sourceKey: key };
  }
  return { kind: 'no-source' };
}
