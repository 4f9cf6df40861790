import { describe, expect, it } from 'vitest';
import { evaluate, fact, OTHER_ACCOUNT, rules } from './fact-builder.js';

const DAY = '2026-06-15';
const devInProd = rules({ type: 'dev-in-prod' });

describe('dev-in-prod', () => {
  const cases = [
    {
      name: 'dev traffic in a prod account fires',
      facts: [fact({ usageDate: DAY, environment: 'dev', cost: '5' })],
      want: 1,
    },
    {
      name: 'environment values match case-insensitively',
      facts: [fact({ usageDate: DAY, environment: 'Staging', cost: '5' })],
      want: 1,
    },
    {
      name: 'prod traffic in a prod account is fine',
      facts: [fact({ usageDate: DAY, cost: '500' })],
      want: 0,
    },
    {
      name: 'dev traffic in a non-prod account is fine',
      facts: [fact({ usageDate: DAY, environment: 'dev', accountEnvironment: 'non-prod', cost: '50' })],
      want: 0,
    },
    {
      name: 'an unclassified account is not prod',
      facts: [fact({ usageDate: DAY, environment: 'dev', accountEnvironment: 'unknown', cost: '50' })],
      want: 0,
    },
    {
      name: 'under $1 does not fire',
      facts: [fact({ usageDate: DAY, environment: 'test', cost: '0.99' })],
      want: 0,
    },
    {
      name: 'tax on dev traffic does not count',
      facts: [
        fact({ usageDate: DAY, environment: 'dev', lineItemType: 'Tax', usageKind: 'other', cost: '5' }),
      ],
      want: 0,
    },
    {
      name: 'commitment fees count (all usage)',
      facts: [fact({ usageDate: DAY, environment: 'qa', usageKind: 'provisioned_hours', cost: '20' })],
      want: 1,
    },
  ];

  it.each(cases)('$name', ({ facts, want }) => {
    // Prepare
    const input = { facts, rules: devInProd, days: [DAY] };
    // Act
    const { findings } = evaluate(input);
    // Assess
    expect(findings).toHaveLength(want);
  });

  it('uses the configured non-prod list', () => {
    // Prepare
    const facts = [
      fact({ usageDate: DAY, workload: 'a', environment: 'perf', cost: '5' }),
      fact({ usageDate: DAY, workload: 'b', environment: 'dev', cost: '5' }),
    ];
    // Act
    const { findings } = evaluate({
      facts,
      rules: rules({ type: 'dev-in-prod', non_prod_environments: ['perf'] }),
      days: [DAY],
    });
    // Assess
    expect(findings.map((f) => f.labels.workload)).toEqual(['a']);
  });

  it('reports one finding per workload, naming account and environment', () => {
    // Prepare
    const facts = [
      fact({ usageDate: DAY, environment: 'dev', cost: '3', usageAccountName: 'ml-prod' }),
      fact({
        usageDate: DAY,
        environment: 'dev',
        cost: '2',
        usageKind: 'output',
        usageAccountName: 'ml-prod',
      }),
    ];
    // Act
    const { findings } = evaluate({ facts, rules: devInProd, days: [DAY] });
    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('warning');
    expect(findings[0]!.labels.environment).toBe('dev');
    expect(findings[0]!.why[0]).toBe(
      'support-bot spent $5.00 on 2026-06-15 in prod account ml-prod (111111111111) while tagged environment "dev"',
    );
  });

  it('labels the account * when the spend is split evenly across accounts', () => {
    // Prepare
    const facts = [
      fact({ usageDate: DAY, environment: 'dev', cost: '3' }),
      fact({ usageDate: DAY, environment: 'dev', cost: '3', usageAccount: OTHER_ACCOUNT }),
      fact({ usageDate: DAY, environment: 'dev', cost: '3', usageAccount: '333333333333' }),
    ];
    // Act
    const { findings } = evaluate({ facts, rules: devInProd, days: [DAY] });
    // Assess
    expect(findings[0]!.labels.account).toBe('*');
    expect(findings[0]!.why[0]).toContain('in several prod accounts');
  });
});
