import { describe, expect, it } from 'vitest';
import { classifyObject, type S3ObjectEvent } from '../../src/adapters/s3/cur-objects.js';
import {
  decodeNotificationKey,
  MalformedEventError,
  parseDeliveryMessage,
} from '../../src/handlers/runtime/s3-event.js';
import { eventBridgeBody, s3NotificationBody } from '../helpers/lambda.js';

const KEY = 'cur/exp/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json';

describe('parseDeliveryMessage', () => {
  it('reads EventBridge events, percent-decoding the key but keeping a literal +', () => {
    const parsed = parseDeliveryMessage(
      eventBridgeBody({
        bucket: 'b',
        key: 'cur/a+b/metadata/BILLING_PERIOD%3D2026-10/x-Manifest.json',
        etag: 'e',
      }),
    );
    expect(parsed).toEqual({
      kind: 'objects',
      objects: [
        {
          bucket: 'b',
          key: 'cur/a+b/metadata/BILLING_PERIOD=2026-10/x-Manifest.json',
          etag: 'e',
          versionId: undefined,
          via: 'eventbridge',
        },
      ],
    });
  });

  it('reads S3 notifications wrapped in an SNS envelope', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      Message: s3NotificationBody({ bucket: 'b', key: KEY, versionId: 'v9' }),
    });
    const parsed = parseDeliveryMessage(body);
    expect(parsed.kind === 'objects' && parsed.objects[0]).toMatchObject({
      key: KEY,
      versionId: 'v9',
      via: 's3-notification',
    });
  });

  it('ignores EventBridge events other than S3 Object Created', () => {
    const body = JSON.stringify({
      ...JSON.parse(eventBridgeBody({ bucket: 'b', key: KEY })),
      'detail-type': 'Object Deleted',
    });
    expect(parseDeliveryMessage(body)).toEqual({
      kind: 'ignored',
      reason: 'EventBridge aws.s3 "Object Deleted" event',
    });
  });

  it('names what it expected when the body is something else', () => {
    expect(() => parseDeliveryMessage('[1,2]')).toThrow(MalformedEventError);
    expect(() => parseDeliveryMessage('{"hello":"world"}')).toThrow(
      /neither an EventBridge S3 event .* nor an S3 notification .*: \{"hello":"world"\}/,
    );
  });

  it('decodes S3 notification keys as S3 encodes them', () => {
    expect(decodeNotificationKey('a+b%2Bc/BILLING_PERIOD%3D2026-10/100%25')).toBe(
      'a b+c/BILLING_PERIOD=2026-10/100%',
    );
    expect(decodeNotificationKey('bad%zzkey')).toBe('bad%zzkey');
  });
});

describe('classifyObject', () => {
  const at = (key: string, bucket = 'cur-bucket') =>
    classifyObject({ bucket, key, via: 'eventbridge' }, 's3://cur-bucket/cur/exp');

  it('accepts billing-period manifests of the export only', () => {
    expect(at(KEY)).toEqual({ kind: 'manifest', uri: `s3://cur-bucket/${KEY}` });
    expect(at('cur/exp/20261001-20261101/exp-Manifest.json').kind).toBe('manifest');
    expect(at('cur/exp-old/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json')).toMatchObject({
      kind: 'ignored',
      level: 'warn',
    });
    expect(at(KEY, 'other-bucket')).toMatchObject({ kind: 'ignored', level: 'warn' });
    expect(at('cur/exp/metadata/exp-Manifest.json')).toMatchObject({ kind: 'ignored', level: 'debug' });
  });

  it('rejects keys that leave the export prefix through "..", literal or percent-encoded', () => {
    const outside = {
      kind: 'ignored',
      level: 'warn',
      reason: 'key has a "." or ".." segment (also percent-encoded): rejected as outside the export prefix',
    };
    expect(at('cur/exp/../other/metadata/BILLING_PERIOD=2026-10/other-Manifest.json')).toEqual(outside);
    expect(at('cur/exp/metadata/./BILLING_PERIOD=2026-10/x/../exp-Manifest.json')).toEqual(outside);
    // As an S3 notification carries it: decoded once on parsing, then judged.
    const [object] = (
      parseDeliveryMessage(
        s3NotificationBody({
          bucket: 'cur-bucket',
          key: 'cur/exp/%2E%2E/other/metadata/BILLING_PERIOD%3D2026-10/other-Manifest.json',
        }),
      ) as { objects: S3ObjectEvent[] }
    ).objects;
    expect(classifyObject(object!, 's3://cur-bucket/cur/exp')).toEqual(outside);
    expect(at('cur/exp/%252E%252E/other/metadata/BILLING_PERIOD=2026-10/other-Manifest.json')).toEqual(
      outside,
    );
  });
});
