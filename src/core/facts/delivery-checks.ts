import { InputError } from '../errors.js';
import { findingFingerprint } from '../keys.js';
import { formatUsd, type Money, subtractMoney } from '../money.js';
import type { Finding } from '../rules/finding.js';
import type { DailyFact } from './daily-fact.js';

/** The line items of one billing period of a delivery's data (see Stage1Output.dataPeriods). */
export interface PeriodLines {
  billingPeriod: string | null;
  lineItems: number;
  outsideLineItems: number;
  outsideFirst: string | null;
  outsideLast: string | null;
  outsideTypes: readonly string[];
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A delivery's data must be of the billing period its manifest declares, and every line item other than a
 * credit or refund must be dated inside its billing period. Either failure means the files are not what
 * the manifest says (a manifest copied into the wrong period, a mixed-up upload): nothing may be written,
 * since replacing the manifest's period, or the data's, would lose a stored snapshot.
 */
export function checkDeliveryPeriods(
  objectKey: string,
  manifestPeriod: string | null,
  periods: readonly PeriodLines[],
): void {
  if (manifestPeriod) {
    const foreign = periods.filter((p) => p.billingPeriod !== null && p.billingPeriod !== manifestPeriod);
    if (foreign.length > 0) {
      throw new InputError(
        `${objectKey}: the manifest declares billing period ${manifestPeriod} but its data holds ${foreign
          .map((p) => `${count(p.lineItems)} line item(s) of billing period ${p.billingPeriod}`)
          .join(
            ', ',
          )} (bill_billing_period_start_date); nothing was written. Is the manifest in the wrong BILLING_PERIOD folder, or are the data files of another period?`,
      );
    }
  }
  const outside = periods.filter((p) => p.outsideLineItems > 0);
  if (outside.length > 0) {
    throw new InputError(
      `${objectKey}: ${outside
        .map(
          (p) =>
            `${count(p.outsideLineItems)} line item(s) of billing period ${p.billingPeriod} are dated outside it ` +
            `(line_item_usage_start_date ${p.outsideFirst}${p.outsideLast !== p.outsideFirst ? ` … ${p.outsideLast}` : ''}; ` +
            `line item type ${p.outsideTypes.join(', ')})`,
        )
        .join(
          '; ',
        )}: only Credit and Refund line items may be dated outside their billing period; nothing was written`,
    );
  }
}

/** A period whose delivery would shrink the stored Bedrock cost too much: held, not applied. */
export interface ShrinkHold {
  billingPeriod: string;
  storedCost: Money;
  storedFacts: number;
  deliveredCost: Money;
  deliveredFacts: number;
  /** Why: "to nothing" (no Bedrock line items left) or the share it shrinks by. */
  reason: string;
}

const PPM = 1_000_000n;

/**
 * Whether replacing `stored` facts with `delivered` ones would shrink the period's Bedrock cost to nothing,
 * or by more than `maxShare` (0 < maxShare ≤ 1) of the stored cost. A first delivery, or one that grows or
 * shrinks within the share, is not held. Money is compared exactly (parts per million of the share).
 */
export function judgeShrink(
  billingPeriod: string,
  stored: { cost: Money; facts: number },
  delivered: { cost: Money; facts: number },
  maxShare: number,
): ShrinkHold | null {
  if (stored.facts === 0) return null;
  const base = {
    billingPeriod,
    storedCost: stored.cost,
    storedFacts: stored.facts,
    deliveredCost: delivered.cost,
    deliveredFacts: delivered.facts,
  };
  if (delivered.facts === 0) return { ...base, reason: 'to no Bedrock line items at all' };
  if (stored.cost <= 0n) return null;
  if (delivered.cost <= 0n) return { ...base, reason: `to ${formatUsd(delivered.cost)}` };
  const share = BigInt(Math.round(maxShare * 1e6));
  // delivered < stored × (1 − share)  ⇔  delivered × 10⁶ < stored × (10⁶ − share·10⁶)
  if (delivered.cost * PPM < stored.cost * (PPM - share)) {
    const shrunk = Number(((stored.cost - delivered.cost) * 1000n) / stored.cost) / 10;
    return { ...base, reason: `by ${shrunk}%, more than ${Math.round(maxShare * 1000) / 10}%` };
  }
  return null;
}

export function describeShrink(exportName: string, hold: ShrinkHold): string {
  return (
    `billing period ${hold.billingPeriod} of export ${exportName}: the delivery would shrink the stored Bedrock cost ` +
    `${hold.reason} (stored ${formatUsd(hold.storedCost)} in ${count(hold.storedFacts)} fact(s), ` +
    `delivered ${formatUsd(hold.deliveredCost)} in ${count(hold.deliveredFacts)} fact(s))`
  );
}

/**
 * The usage accounts whose Bedrock spend another export already holds for the period: the same line items
 * stored twice (a loose file and its export root, a legacy CUR beside its CUR 2.0 successor) would count
 * twice, and reconciliation, which compares each delivery with itself, cannot see it. CUR line-item ids
 * cannot be used: AWS documents them as not consistent between reports.
 */
export function overlappingExports(
  exportName: string,
  delivered: readonly DailyFact[],
  storedPeriod: readonly DailyFact[],
): { exportName: string; accounts: string[] }[] {
  const mine = new Set(delivered.map((f) => `${f.payerAccount}/${f.usageAccount}`));
  const byExport = new Map<string, Set<string>>();
  for (const fact of storedPeriod) {
    if (fact.sourceExport === exportName) continue;
    const key = `${fact.payerAccount}/${fact.usageAccount}`;
    if (!mine.has(key)) continue;
    const accounts = byExport.get(fact.sourceExport) ?? new Set<string>();
    accounts.add(fact.usageAccount);
    byExport.set(fact.sourceExport, accounts);
  }
  return [...byExport]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, accounts]) => ({ exportName: name, accounts: [...accounts].sort() }));
}

/**
 * The warning finding a held delivery becomes where no one reads a command's output (the Lambda): routed
 * and notified like any finding, once per (export, period, day) by the notification log.
 */
export function heldDeliveryFinding(
  delivery: { exportName: string; objectKey: string },
  hold: ShrinkHold,
  day: string,
): Finding {
  const labels = {
    workload: '',
    model: '',
    team: '',
    cost_center: '',
    account: '',
    environment: '',
    export: delivery.exportName,
    billing_period: hold.billingPeriod,
  };
  const ratio =
    hold.storedCost > 0n ? Number((hold.deliveredCost * 10_000n) / hold.storedCost) / 10_000 : null;
  return {
    rule: HELD_DELIVERY_RULE,
    name: HELD_DELIVERY_RULE,
    day,
    severity: 'warning',
    provisional: false,
    labels,
    figures: {
      today: hold.deliveredCost,
      baseline: hold.storedCost,
      ratio,
      delta: subtractMoney(hold.deliveredCost, hold.storedCost),
    },
    why: [
      `${delivery.objectKey}: ${describeShrink(delivery.exportName, hold)}; nothing was written, the stored facts stay`,
      `if the smaller delivery is right, apply it with: bedrock-cost ingest ${delivery.objectKey} --accept-shrink`,
    ],
    contributors: [],
    fingerprint: findingFingerprint({ rule: HELD_DELIVERY_RULE, day, labels }),
  };
}

export const HELD_DELIVERY_RULE = 'delivery-held';
