import { describe, expect, it } from 'vitest';
import { isManifestKey, parseManifest } from '../../../../src/core/cur/manifest.js';
import { InputError } from '../../../../src/core/errors.js';

describe('parseManifest', () => {
  it('reads a CUR 2.0 manifest and resolves its data files under the export root', () => {
    const text = JSON.stringify({
      executionId: 'e-123',
      dataFiles: [
        's3://bucket/cur/my-export/data/BILLING_PERIOD=2026-06/my-export-00001.snappy.parquet',
        's3://bucket/cur/my-export/data/BILLING_PERIOD=2026-06/my-export-00002.snappy.parquet',
      ],
      columns: [{ name: 'line_item_usage_type', type: 'string' }],
    });
    const m = parseManifest(
      text,
      '/data/x/my-export/metadata/BILLING_PERIOD=2026-06/my-export-Manifest.json',
    );
    expect(m).toEqual({
      kind: 'cur2',
      exportName: 'my-export',
      billingPeriod: '2026-06',
      deliveryId: 'e-123',
      dataFiles: [
        {
          uri: 's3://bucket/cur/my-export/data/BILLING_PERIOD=2026-06/my-export-00001.snappy.parquet',
          key: '/data/x/my-export/data/BILLING_PERIOD=2026-06/my-export-00001.snappy.parquet',
        },
        {
          uri: 's3://bucket/cur/my-export/data/BILLING_PERIOD=2026-06/my-export-00002.snappy.parquet',
          key: '/data/x/my-export/data/BILLING_PERIOD=2026-06/my-export-00002.snappy.parquet',
        },
      ],
    });
  });

  it('keeps CREATE_NEW_REPORT execution folders', () => {
    const text = JSON.stringify({
      dataFiles: ['s3://b/p/exp/data/BILLING_PERIOD=2026-06/20260602T0101Z-abc/exp-00001.snappy.parquet'],
    });
    const m = parseManifest(text, 'p/exp/metadata/BILLING_PERIOD=2026-06/exp-Manifest.json');
    expect(m.dataFiles[0]!.key).toBe(
      'p/exp/data/BILLING_PERIOD=2026-06/20260602T0101Z-abc/exp-00001.snappy.parquet',
    );
  });

  it('reads a legacy manifest with reportKeys relative to the bucket', () => {
    const text = JSON.stringify({
      assemblyId: 'a-1',
      reportName: 'legacy-cur',
      bucket: 'bucket',
      billingPeriod: { start: '20231101T000000.000Z', end: '20231201T000000.000Z' },
      reportKeys: ['prefix/legacy-cur/20231101-20231201/a-1/legacy-cur-00001.snappy.parquet'],
    });
    const m = parseManifest(text, 'local/legacy-cur/20231101-20231201/legacy-cur-Manifest.json');
    expect(m.kind).toBe('legacy');
    expect(m.billingPeriod).toBe('2023-11');
    expect(m.exportName).toBe('legacy-cur');
    expect(m.dataFiles[0]!.key).toBe(
      'local/legacy-cur/20231101-20231201/a-1/legacy-cur-00001.snappy.parquet',
    );
  });

  it.each([
    ['{not json', /manifest is not valid JSON/],
    ['{"files": []}', /not a CUR manifest: expected a "dataFiles" array/],
    ['{"dataFiles": "x"}', /malformed manifest: dataFiles/],
    ['{"dataFiles": ["s3://b/elsewhere/file.parquet"]}', /is not under the export's data\/ folder/],
    [
      '{"dataFiles": ["s3://b/exp/data/BILLING_PERIOD=2026-06/x.parquet", "s3://b/exp/data/BILLING_PERIOD=2026-06/x.parquet"]}',
      /lists data file s3:\/\/b\/exp\/data\/BILLING_PERIOD=2026-06\/x\.parquet more than once; reading it twice would count its spend twice/,
    ],
    [
      '{"dataFiles": ["s3://b/exp/data/../../other/data/x.parquet"]}',
      /data file "s3:\/\/b\/exp\/data\/\.\.\/\.\.\/other\/data\/x\.parquet" has a "\." or "\.\." path segment/,
    ],
    ['{"dataFiles": ["s3://b/exp/data/%2E%2E/x.parquet"]}', /has a "\." or "\.\." path segment/],
    ['{"reportKeys": ["cur/r/20260601-20260701/../../x.csv.gz"]}', /has a "\." or "\.\." path segment/],
    ['{"dataFiles": null}', /malformed manifest: dataFiles: expected an array of file names, received null/],
    [
      '{"dataFiles": ["s3://b/exp/data/x.parquet", ""]}',
      /malformed manifest: dataFiles\.1: expected a non-empty string, received the string ""/,
    ],
    [
      '{"dataFiles": [7]}',
      /malformed manifest: dataFiles\.0: expected a non-empty string, received number 7/,
    ],
    [
      '{"dataFiles": [], "executionId": 5}',
      /malformed manifest: executionId: expected a string, received number 5/,
    ],
    [
      '{"dataFiles": [], "exportName": ["a"]}',
      /malformed manifest: exportName: expected a string, received an array/,
    ],
    [
      '{"dataFiles": [], "billingPeriod": "2026-06"}',
      /malformed manifest: billingPeriod: expected an object with start and end, received the string "2026-06"/,
    ],
    [
      '{"dataFiles": [], "billingPeriod": {"start": 20260601}}',
      /malformed manifest: billingPeriod\.start: expected a string, received number 20260601/,
    ],
    [
      '{"reportKeys": "x"}',
      /malformed manifest: reportKeys: expected an array of file names, received the string "x"/,
    ],
    [
      '{"reportKeys": [], "bucket": false}',
      /malformed manifest: bucket: expected a string, received boolean false/,
    ],
    [
      '{"reportKeys": [], "billingPeriod": {"end": {}}}',
      /malformed manifest: billingPeriod\.end: expected a string, received an object/,
    ],
  ])('rejects %s with a clear error', (text, message) => {
    const parse = () => parseManifest(text, 'exp/metadata/BILLING_PERIOD=2026-06/exp-Manifest.json');
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(message);
    expect(parse).toThrow(/^exp\/metadata\/BILLING_PERIOD=2026-06\/exp-Manifest\.json: /);
  });

  it('passes fields it does not read, and reads a period given as start and end (AWS manifests carry many more)', () => {
    const text = JSON.stringify({
      assemblyId: 'a-1',
      bucket: 'b',
      billingPeriod: { start: '20260601T000000.000Z', end: '20260701T000000.000Z' },
      reportKeys: ['cur/r/20260601-20260701/a-1/r-1.csv.gz'],
      account: '123456789012',
      columns: [{ category: 'lineItem', name: 'UsageType', type: 'String' }],
      compression: 'GZIP',
    });
    const m = parseManifest(text, 'cur/r/20260601-20260701/r-Manifest.json');
    expect(m).toEqual({
      kind: 'legacy',
      exportName: 'r',
      billingPeriod: '2026-06',
      deliveryId: 'a-1',
      dataFiles: [
        { uri: 'cur/r/20260601-20260701/a-1/r-1.csv.gz', key: 'cur/r/20260601-20260701/a-1/r-1.csv.gz' },
      ],
    });
  });

  it('recognises manifest keys', () => {
    expect(isManifestKey('cur/exp/metadata/BILLING_PERIOD=2026-06/exp-Manifest.json')).toBe(true);
    expect(isManifestKey('cur/exp/data/BILLING_PERIOD=2026-06/exp-00001.snappy.parquet')).toBe(false);
  });
});
