// The rule series built by the SQL statements in sql/series/ (DuckDB over the fact Parquet files) equal the
// ones ruleSeriesFromFacts builds in TypeScript from the same facts, slot by slot and to the 10^-15 dollar;
// and the detail read returns exactly the facts of the requested series-days.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDuckDb } from '../../src/adapters/duckdb/duckdb.js';
import { writeFactsParquet } from '../../src/adapters/duckdb/fact-parquet.js';
import { duckDbFactReader } from '../../src/adapters/duckdb/fact-reader.js';
import type { DailyFact } from '../../src/core/facts/daily-fact.js';
import { FACT_COLUMNS } from '../../src/core/facts/fact-schema.js';
import { parseMoney } from '../../src/core/money.js';
import { factDetail } from '../../src/core/rules/fact-detail.js';
import { type RuleSeries, ruleSeriesFromFacts, SERIES_GRAINS } from '../../src/core/rules/rule-series.js';
import type { SeriesGrid } from '../../src/core/rules/series-grid.js';
import { dfact, generateFacts } from '../helpers/digest-facts.js';

const WINDOW = { from: '2026-05-20', to: '2026-06-20' };

/** Generated facts plus the cases the statements must count or leave out. */
function facts(): DailyFact[] {
  return [
    ...generateFacts('2026-05-25', '2026-06-20'),
    // A fact outside the window (left out) and one on a day before the first generated day (coverage).
    dfact({ usageDate: '2026-05-10', workload: 'outside', cost: '99' }),
    dfact({
      usageDate: '2026-05-21',
      workload: 'early',
      usageKind: 'output',
      tokens: 7,
      cost: '0.000000000000001',
    }),
    // Dev traffic in a prod account (dev-in-prod), a fee, a credit (never counted), a big exact cost.
    dfact({
      usageDate: '2026-06-01',
      workload: 'lab',
      environment: 'Dev ',
      accountEnvironment: 'prod',
      cost: '3.5',
    }),
    dfact({
      usageDate: '2026-06-01',
      workload: 'lab',
      lineItemType: 'Fee',
      usageKind: 'other',
      cost: '1.25',
    }),
    dfact({ usageDate: '2026-06-01', workload: 'lab', lineItemType: 'Credit', cost: '-40' }),
    dfact({ usageDate: '2026-06-02', workload: 'big', cost: '123456789012.123456789012345' }),
    dfact({ usageDate: '2026-06-02', workload: 'big', cost: '-0.000000000000003', usageKind: 'output' }),
    // Two callers of one workload and model: one row once rolled up over the principal.
    dfact({ usageDate: '2026-06-05', workload: 'pair', iamPrincipal: 'arn:aws:iam::1:role/a', cost: '1.1' }),
    dfact({ usageDate: '2026-06-05', workload: 'pair', iamPrincipal: 'arn:aws:iam::1:role/b', cost: '2.2' }),
  ];
}

/** A fact's stored columns as text (the generator's facts carry extra helper fields). */
function factText(fact: DailyFact): string {
  return JSON.stringify(FACT_COLUMNS.map((c) => String(fact[c.field])));
}

function sameGrid(sql: SeriesGrid, ts: SeriesGrid, grain: keyof typeof SERIES_GRAINS): void {
  expect(sql.keys, grain).toEqual(ts.keys);
  expect(sql.dayCount).toBe(ts.dayCount);
  const spec = SERIES_GRAINS[grain];
  for (let k = 0; k < ts.keys.length; k++) {
    for (let d = 0; d < ts.dayCount; d++) {
      const slot = ts.slotOf(k, d);
      const where = `${grain} ${JSON.stringify(ts.keys[k])} ${ts.dayAt(d)}`;
      expect(sql.hasAt(slot), where).toBe(ts.hasAt(slot));
      for (const n of spec.numbers) expect(sql.numberAt(n, slot), `${where} ${n}`).toBe(ts.numberAt(n, slot));
      for (const m of spec.money) expect(sql.moneyAt(m, slot), `${where} ${m}`).toBe(ts.moneyAt(m, slot));
    }
  }
}

describe('rule series in SQL', () => {
  let dir: string;
  let file: string;
  const all = facts();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bc-series-'));
    file = join(dir, 'facts.parquet');
    await withDuckDb((db) => writeFactsParquet(db, all, file, { snapshotId: 's', newestUsageEnd: null }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('equal the series built in TypeScript from the same facts', async () => {
    const inWindow = all.filter((f) => f.usageDate >= WINDOW.from && f.usageDate <= WINDOW.to);
    const ts = ruleSeriesFromFacts(inWindow, { firstDay: WINDOW.from, lastDay: WINDOW.to });
    const sql: RuleSeries = await withDuckDb((db) => duckDbFactReader(db, [file]).ruleSeries(WINDOW));
    expect(sql.coverageStart).toBe('2026-05-21');
    expect(sql.factCount).toBe(inWindow.length);
    expect(sql.commitmentFees.map(factText)).toEqual(ts.commitmentFees.map(factText));
    expect(sql.commitmentFees.length).toBeGreaterThan(0);
    sameGrid(sql.workloadModel, ts.workloadModel, 'workload_model');
    sameGrid(sql.workload, ts.workload, 'workload');
    sameGrid(sql.day, ts.day, 'day');
    sameGrid(sql.prodEnvironment, ts.prodEnvironment, 'prod_environment');
    sameGrid(sql.onDemand, ts.onDemand, 'on_demand');
    // Exact beyond a double: the big workload's cost keeps every digit.
    expect(sql.workload.money('usage_cost_unblended', 'big', '2026-06-02')).toBe(
      parseMoney('123456789012.123456789012342'),
    );
    expect(sql.prodEnvironment.has('lab\u0000Dev ', '2026-06-01')).toBe(true);
  });

  it('rolls facts up over the columns not kept, with the same exact sums', async () => {
    const keep = ['usageDate', 'workload', 'model', 'usageKind', 'lineItemType'] as const;
    const rows = await withDuckDb((db) => duckDbFactReader(db, [file]).rollup(WINDOW, keep));
    const inWindow = all.filter((f) => f.usageDate >= WINDOW.from && f.usageDate <= WINDOW.to);
    const total = (facts: readonly DailyFact[]) => facts.reduce((sum, f) => sum + f.costUnblended, 0n);
    const tokens = (facts: readonly DailyFact[]) => facts.reduce((sum, f) => sum + f.tokens, 0);
    expect(total(rows)).toBe(total(inWindow));
    expect(tokens(rows)).toBe(tokens(inWindow));
    expect(rows.length).toBeLessThan(inWindow.length);
    expect(new Set(rows.map((r) => r.iamPrincipal))).toEqual(new Set(['']));
    const keys = rows.map((r) => keep.map((k) => r[k]).join('|'));
    expect(new Set(keys).size).toBe(rows.length);
  });

  it('reads exactly the facts of the requested series-days', async () => {
    const requests = [
      { scope: { workload: 'lab' }, day: '2026-06-01' },
      { scope: { workload: 'big', model: all.find((f) => f.workload === 'big')!.model }, day: '2026-06-02' },
      {
        scope: { model: all[0]!.model, usageAccount: all[0]!.usageAccount, region: all[0]!.region },
        day: '2026-06-03',
      },
    ];
    const read = await withDuckDb((db) => duckDbFactReader(db, [file]).detail(requests));
    const expected = new Set<DailyFact>();
    const memory = factDetail(all);
    for (const r of requests) for (const f of memory.facts(r.scope, r.day)) expected.add(f);
    expect(read.length).toBe(expected.size);
    expect(read.length).toBeGreaterThan(3);
    expect(read.map(factText).sort()).toEqual([...expected].map(factText).sort());
  });
});
