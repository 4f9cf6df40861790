import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ConfigError, InputError } from '../../core/errors.js';

/** An S3 object or prefix: `key` is '' for the bucket root and may end with '/' for a folder. */
export interface S3Location {
  bucket: string;
  key: string;
}

// AWS's rules for new buckets (3–63 characters, lowercase, digits, dots, hyphens), so a typo such as
// `s3:/bucket` or an upper-case name fails here with a message instead of as an SDK signing error.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://bucket/key-or-prefix`; the key is kept verbatim (S3 keys may hold any character). */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/is.exec(uri.trim());
  if (!match) {
    throw new InputError(`${uri}: not an S3 URI: expected s3://<bucket>/<key or prefix>`);
  }
  const bucket = match[1] ?? '';
  if (bucket === '')
    throw new InputError(`${uri}: the S3 URI names no bucket: expected s3://<bucket>/<key or prefix>`);
  if (!BUCKET_NAME.test(bucket)) {
    throw new InputError(
      `${uri}: "${bucket}" is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)`,
    );
  }
  return { bucket, key: match[2] ?? '' };
}

export function formatS3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** Joins key segments with single slashes, so a configured prefix may be given with or without them. */
export function joinKey(...parts: readonly string[]): string {
  return parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
}

export interface S3ClientOptions {
  region?: string;
  /** An S3-compatible endpoint (s3rver, MinIO, LocalStack); implies path-style addressing. */
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Where AWS_REGION, AWS_DEFAULT_REGION and BEDROCK_COST_S3_ENDPOINT are read from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * An S3 client for the CUR bucket and the fact store. Explicit options win over the environment; without
 * credentials the SDK's default chain (env, profile, instance / Lambda role) applies.
 */
export function s3Client(options: S3ClientOptions = {}): S3Client {
  const env = options.env ?? process.env;
  const region = options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1');
  const endpoint = options.endpoint ?? (env.BEDROCK_COST_S3_ENDPOINT || undefined);
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    throw new ConfigError(`S3 endpoint "${endpoint}" is not a URL (BEDROCK_COST_S3_ENDPOINT or --endpoint)`);
  }
  const config: S3ClientConfig = { region };
  if (options.credentials) config.credentials = options.credentials;
  if (endpoint !== undefined) {
    config.endpoint = endpoint;
    config.forcePathStyle = options.forcePathStyle ?? true;
    // The SDK's default integrity protection sends streamed bodies aws-chunked with a trailing checksum,
    // which S3-compatible servers (s3rver among them) store verbatim, framing and all. Checksums are
    // still sent where an operation requires them.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  } else if (options.forcePathStyle !== undefined) {
    config.forcePathStyle = options.forcePathStyle;
  }
  return new S3Client(config);
}
