import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsFileSource, parseMetricsCsv } from '../../../src/adapters/local-fs/metrics-file.js';

const HEADER = 'timestamp,account_id,region,model_id,metric,value';
const ARN = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc';

describe('metrics file (--metrics)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bc-metrics-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads one datapoint per line, Bedrock and Bedrock Mantle names, within the asked window', async () => {
    const path = join(dir, 'm.csv');
    await writeFile(
      path,
      [
        HEADER,
        `2026-06-10T14:00:00Z,111122223333,us-east-1,${ARN},InputTokenCount,5400000`,
        '2026-06-10T14:05:00+00:00,111122223333,us-east-1,openai.gpt-oss-120b,TotalOutputTokens,12.5',
        `2026-06-10T15:00:00Z,111122223333,us-east-1,${ARN},Invocations,3`,
        '',
      ].join('\n'),
    );
    const points = await new MetricsFileSource(path).read({
      from: '2026-06-10T14:00:00.000Z',
      to: '2026-06-10T15:00:00.000Z',
    });
    expect(points).toEqual([
      {
        timestamp: '2026-06-10T14:00:00.000Z',
        accountId: '111122223333',
        region: 'us-east-1',
        modelId: ARN,
        metric: 'InputTokenCount',
        value: 5_400_000,
      },
      {
        timestamp: '2026-06-10T14:05:00.000Z',
        accountId: '111122223333',
        region: 'us-east-1',
        modelId: 'openai.gpt-oss-120b',
        metric: 'TotalOutputTokens',
        value: 12.5,
      },
    ]);
  });

  it.each([
    [
      'timestamp,account,region,model_id,metric,value\n',
      /m\.csv:1: the header must be "timestamp,account_id,region,model_id,metric,value"/,
    ],
    [
      `${HEADER}\n2026-06-10 14:00,111122223333,us-east-1,${ARN},Invocations,1\n`,
      /m\.csv:2: column timestamp: expected an ISO instant with a zone .* found "2026-06-10 14:00"/,
    ],
    [
      `${HEADER}\n2026-06-10T14:00:00Z,1111,us-east-1,${ARN},Invocations,1\n`,
      /m\.csv:2: column account_id: expected a 12-digit AWS account id, found "1111"/,
    ],
    [
      `${HEADER}\n2026-06-10T14:00:00Z,111122223333,useast1,${ARN},Invocations,1\n`,
      /column region: expected a region like us-east-1, found "useast1"/,
    ],
    [
      `${HEADER}\n2026-06-10T14:00:00Z,111122223333,us-east-1,,Invocations,1\n`,
      /column model_id: expected a model id/,
    ],
    [
      `${HEADER}\n\n2026-06-10T14:00:00Z,111122223333,us-east-1,${ARN},InvocationLatency,1\n`,
      /m\.csv:3: column metric: expected one of Invocations, InputTokenCount/,
    ],
    [
      `${HEADER}\n2026-06-10T14:00:00Z,111122223333,us-east-1,${ARN},Invocations,-1\n`,
      /column value: expected a non-negative number \(the period Sum\), found "-1"/,
    ],
    [
      `${HEADER}\n2026-06-10T14:00:00Z,111122223333,us-east-1,${ARN},Invocations\n`,
      /m\.csv:2: expected 6 columns .* found 5/,
    ],
  ])('names file, line and column of a bad value (%#)', (text, message) => {
    expect(() => parseMetricsCsv(text, 'm.csv')).toThrow(message);
  });

  it('says which file it cannot read', async () => {
    await expect(new MetricsFileSource(join(dir, 'missing.csv')).read({ from: '', to: 'z' })).rejects.toThrow(
      /missing\.csv: cannot read the metrics file/,
    );
  });
});
