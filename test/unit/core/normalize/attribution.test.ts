import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../../src/config/schema.js';
import { UNALLOCATED } from '../../../../src/core/facts/daily-fact.js';
import {
  accountEnvironment,
  classifyEnvironment,
  createAttributor,
} from '../../../../src/core/normalize/attribution.js';
import type { TagPairs } from '../../../../src/core/normalize/stage1-row.js';

const ACCOUNT = '111122223333';

const config = ConfigSchema.parse({
  accounts: {
    [ACCOUNT]: { name: 'genai-shared', workload: 'shared-platform', team: 'platform', cost_center: 'CC-100' },
    '444455556666': { environment: 'non-prod' },
  },
});

function row(
  resourceTags: TagPairs = [],
  principalTags: TagPairs = [],
  accountTags: TagPairs = [],
  usageAccount = ACCOUNT,
) {
  return { usageAccount, resourceTags, principalTags, accountTags };
}

describe('attribution precedence', () => {
  const attribute = createAttributor(config);

  it('resource tag beats principal tag beats account default', () => {
    expect(attribute(row([['workload', 'support-bot']], [['workload', 'from-principal']])).workload).toBe(
      'support-bot',
    );
    expect(attribute(row([], [['workload', 'from-principal']]))).toMatchObject({
      workload: 'from-principal',
      attributionSource: 'principal_tag',
    });
    expect(attribute(row())).toMatchObject({ workload: 'shared-platform', attributionSource: 'account' });
  });

  it('resolves each field independently', () => {
    // Prepare: workload on the inference profile, team on the principal, cost center only on the account
    const r = row([['workload', 'support-bot']], [['team', 'support']]);

    // Act
    const result = attribute(r);

    // Assess
    expect(result).toEqual({
      workload: 'support-bot',
      team: 'support',
      costCenter: 'CC-100',
      environment: 'unknown',
      attributionSource: 'resource_tag',
    });
  });

  it('matches configured keys ignoring case, hyphens and underscores', () => {
    const custom = ConfigSchema.parse({
      attribution: { tag_keys: { cost_center: ['Cost-Center'], workload: ['App_Name'] } },
    });
    const result = createAttributor(custom)(
      row([
        ['costcenter', 'CC-7'],
        ['appname', 'chat'],
      ]),
    );
    expect([result.costCenter, result.workload]).toEqual(['CC-7', 'chat']);
  });

  it('ignores empty values and falls through to the next key and layer', () => {
    const result = attribute(
      row(
        [
          ['workload', '  '],
          ['application', 'billing-api'],
        ],
        [['team', '']],
      ),
    );
    expect([result.workload, result.team]).toEqual(['billing-api', 'platform']);
  });

  it('prefers the earlier configured key within a layer (workload before application before app)', () => {
    const result = attribute(
      row([
        ['app', 'c'],
        ['application', 'b'],
        ['workload', 'a'],
      ]),
    );
    expect(result.workload).toBe('a');
  });

  it('keeps the first non-empty value of a key that appears twice', () => {
    expect(
      attribute(
        row([
          ['team', ''],
          ['team', 'first'],
          ['team', 'second'],
        ]),
      ).team,
    ).toBe('first');
  });

  it('honours a custom precedence order', () => {
    const principalFirst = createAttributor(
      ConfigSchema.parse({ attribution: { precedence: ['principal', 'resource'] } }),
    );
    expect(principalFirst(row([['workload', 'res']], [['workload', 'pri']])).workload).toBe('pri');
    // the account layer is not listed, so nothing falls back to it
    expect(principalFirst(row()).workload).toBe(UNALLOCATED);
  });

  it('leaves unattributed fields unallocated and the environment unknown', () => {
    expect(createAttributor(config)(row([], [], [], '999999999999'))).toEqual({
      workload: UNALLOCATED,
      team: UNALLOCATED,
      costCenter: UNALLOCATED,
      environment: 'unknown',
      attributionSource: 'none',
    });
  });

  it('uses accountTag/* tags in the account layer after the config defaults', () => {
    const result = attribute(
      row(
        [],
        [],
        [
          ['team', 'tagged-team'],
          ['workload', 'tagged-workload'],
        ],
        '999999999999',
      ),
    );
    expect(result).toMatchObject({
      team: 'tagged-team',
      workload: 'tagged-workload',
      attributionSource: 'account',
    });
  });

  it('lower-cases the attributed environment and falls back to the account environment', () => {
    expect(attribute(row([['Environment', 'Production']])).environment).toBe('production');
    expect(attribute(row([], [['env', 'DEV']])).environment).toBe('dev');
    expect(attribute(row([], [], [], '444455556666')).environment).toBe('non-prod');
  });
});

describe('classifyEnvironment', () => {
  it.each([
    ['prod-genai', 'prod'],
    ['genai-dev', 'non-prod'],
    ['production', 'prod'],
    ['Production', 'prod'],
    ['Development', 'non-prod'],
    ['productivity', 'unknown'],
    ['prod01', 'prod'],
    ['ml_staging_2', 'non-prod'],
    ['non-prod', 'non-prod'],
    ['NonProd', 'non-prod'],
    ['prod-to-dev-migration', 'unknown'],
    ['sandbox', 'non-prod'],
    ['', 'unknown'],
    [null, 'unknown'],
  ])('%j → %s', (value, expected) => {
    expect(classifyEnvironment(value, config.environments)).toBe(expected);
  });
});

describe('accountEnvironment', () => {
  it('takes the configured environment over the name', () => {
    expect(accountEnvironment('444455556666', 'prod-genai', config)).toBe('non-prod');
  });

  it('classifies the CUR account name, then the configured name', () => {
    expect(accountEnvironment(ACCOUNT, 'genai-dev', config)).toBe('non-prod');
    expect(accountEnvironment(ACCOUNT, 'genai-shared', config)).toBe('unknown');
    const named = ConfigSchema.parse({ accounts: { [ACCOUNT]: { name: 'payments-prod' } } });
    expect(accountEnvironment(ACCOUNT, null, named)).toBe('prod');
    expect(accountEnvironment(ACCOUNT, 'shared', named)).toBe('prod');
  });
});
