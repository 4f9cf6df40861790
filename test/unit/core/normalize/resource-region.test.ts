import { describe, expect, it } from 'vitest';
import { resolveRegion } from '../../../../src/core/normalize/region.js';
import { parseResource } from '../../../../src/core/normalize/resource.js';

describe('parseResource', () => {
  it.each([
    [
      'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0',
      'foundation-model',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
    ],
    [
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-1-70b-instruct-v1:0/internal-genai-app-production-v2',
      'inference-profile',
      'us.meta.llama3-1-70b-instruct-v1:0/internal-genai-app-production-v2',
    ],
    [
      'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6',
      'application-inference-profile',
      'a1b2c3d4e5f6',
    ],
    [
      'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abcd1234efgh',
      'provisioned-model',
      'abcd1234efgh',
    ],
    [
      'arn:aws:bedrock:us-east-1:111122223333:custom-model/amazon.nova-pro-v1:0:300k/xyz',
      'custom-model',
      'amazon.nova-pro-v1:0:300k/xyz',
    ],
    ['arn:aws:bedrock:us-east-1:111122223333:imported-model/k2j3h4', 'imported-model', 'k2j3h4'],
    ['arn:aws:bedrock:us-east-1:111122223333:knowledge-base/KB123', 'knowledge-base', 'KB123'],
    ['i-0abc123', 'other', 'i-0abc123'],
    ['', 'none', ''],
    [null, 'none', ''],
  ])('%j → %s', (arn, kind, id) => {
    expect(parseResource(arn)).toEqual({ kind, id });
  });
});

describe('resolveRegion', () => {
  it.each([
    ['us-east-1', null, 'USW2', 'us-east-1'], // the row's own column wins
    [null, 'AWS Marketplace software usage|us-west-2|Million Input Tokens', 'USE1', 'us-west-2'],
    ['', null, 'USE1', 'us-east-1'],
    ['NULL', null, 'APS3', 'ap-south-1'],
    [null, null, 'EU', 'eu-west-1'],
    [null, null, 'EUC1', 'eu-central-1'],
    [null, null, 'APN1', 'ap-northeast-1'],
    [null, null, 'CAN1', 'ca-central-1'],
    [null, null, 'SAE1', 'sa-east-1'],
    [null, null, 'UGW1', 'us-gov-west-1'],
    [null, null, 'XYZ9', 'unknown'],
    [null, 'no region here', '', 'unknown'],
  ])('region %j, description %j, prefix %j → %s', (region, description, code, expected) => {
    expect(resolveRegion(region, description, code)).toBe(expected);
  });
});
