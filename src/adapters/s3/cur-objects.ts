import { posix } from 'node:path';
import { isManifestKey } from '../../core/cur/manifest.js';
import { parseS3Uri } from './s3-location.js';

// Which S3 objects of a CUR export start an ingest (the Lambda's S3 events and `watch` share this).

/** One object-created notification, key decoded. */
export interface S3ObjectEvent {
  bucket: string;
  key: string;
  etag?: string | undefined;
  versionId?: string | undefined;
  via: 'eventbridge' | 's3-notification';
}

export type ObjectTarget =
  | { kind: 'manifest'; uri: string }
  | { kind: 'ignored'; reason: string; level: 'debug' | 'warn' };

const CUR2_PERIOD_DIR = /^BILLING_PERIOD=\d{4}-\d{2}$/;
const LEGACY_PERIOD_DIR = /^\d{8}-\d{8}$/;

/**
 * Which objects start an ingest: billing-period manifests (CUR 2.0 `metadata/BILLING_PERIOD=…/` or legacy
 * `<yyyymmdd-yyyymmdd>/`) of the configured export. Data files arrive before their manifest and are read
 * through it; legacy CUR's per-assembly manifest copy would be a second event for the same delivery.
 */
export function classifyObject(object: S3ObjectEvent, exportUri: string | undefined): ObjectTarget {
  const { key } = object;
  if (!isManifestKey(key)) {
    return {
      kind: 'ignored',
      level: 'debug',
      reason: /\.(parquet|csv|csv\.gz|gz)$/i.test(key)
        ? 'data file (read through its manifest)'
        : 'not a CUR manifest',
    };
  }
  if (key.split('/').some(isDotSegment)) {
    // `cur/exp/../other/…` starts with the export prefix but names another folder once resolved.
    return {
      kind: 'ignored',
      level: 'warn',
      reason: 'key has a "." or ".." segment (also percent-encoded): rejected as outside the export prefix',
    };
  }
  const parent = posix.basename(posix.dirname(key));
  const isPeriodManifest =
    (CUR2_PERIOD_DIR.test(parent) && posix.basename(posix.dirname(posix.dirname(key))) === 'metadata') ||
    LEGACY_PERIOD_DIR.test(parent);
  if (!isPeriodManifest) {
    return {
      kind: 'ignored',
      level: 'debug',
      reason: 'manifest outside a billing-period folder (legacy assembly copy)',
    };
  }
  if (exportUri) {
    const root = parseS3Uri(exportUri);
    const prefix = root.key.replace(/\/+$/, '');
    if (object.bucket !== root.bucket || (prefix !== '' && !key.startsWith(`${prefix}/`))) {
      return { kind: 'ignored', level: 'warn', reason: `not under the configured export ${exportUri}` };
    }
  }
  return { kind: 'manifest', uri: `s3://${object.bucket}/${key}` };
}

/** Percent-decodes a key; a lone '%' that is not an escape leaves the key literal. */
export function decodePercent(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    // A lone '%' that is not an escape: the key is literal.
    return key;
  }
}

/** `.` and `..`, literal or percent-encoded (`%2E%2E`, once or twice). */
function isDotSegment(segment: string): boolean {
  let decoded = segment;
  for (let i = 0; i < 3 && decoded.includes('%'); i++) decoded = decodePercent(decoded);
  return decoded === '.' || decoded === '..';
}
