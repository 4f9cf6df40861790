import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { parseConfigText } from '../../config/parse-config.js';
import type { Config } from '../../config/schema.js';
import { DEFAULT_CONFIG } from '../../config/schema.js';
import { ConfigError } from '../../core/errors.js';
import { describeRedacted } from '../../core/render/redact.js';
import { isRetryableAwsError } from '../aws-errors.js';
import { parseS3Uri } from '../s3/s3-location.js';

/** The YAML config as read, and where from (for logs and errors). */
export interface LoadedConfigText {
  source: string;
  /** null: no location configured, the built-in defaults apply. */
  text: string | null;
}

export interface ConfigSourceClients {
  s3: () => S3Client;
  ssm: () => SSMClient;
}

/**
 * Reads the config from where BEDROCK_COST_CONFIG points: `s3://bucket/key`, `ssm:/parameter/name` (a
 * String or SecureString parameter; the YAML may exceed 4 KB only on the Advanced tier), or a file path,
 * relative paths resolved against `baseDir` (the Lambda package root, where a bundled config sits).
 */
export async function readConfigText(
  location: string | undefined,
  clients: ConfigSourceClients,
  baseDir: string = process.cwd(),
): Promise<LoadedConfigText> {
  if (!location) return { source: '(built-in defaults)', text: null };
  if (location.startsWith('s3://')) return { source: location, text: await readS3(location, clients.s3()) };
  if (location.startsWith('ssm:')) {
    const name = location.slice('ssm:'.length);
    return { source: location, text: await readParameter(name, location, clients.ssm()) };
  }
  const path = resolve(baseDir, location);
  try {
    return { source: path, text: await readFile(path, 'utf8') };
  } catch (error) {
    throw new ConfigError(
      `${path}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? describeRedacted(error)})`,
      { cause: error },
    );
  }
}

/** Reads and validates the config; a missing location means the built-in defaults. */
export async function loadConfigFrom(
  location: string | undefined,
  clients: ConfigSourceClients,
  baseDir?: string,
): Promise<{ config: Config; source: string }> {
  const { source, text } = await readConfigText(location, clients, baseDir);
  return { source, config: text === null ? DEFAULT_CONFIG : parseConfigText(text, source) };
}

async function readS3(uri: string, client: S3Client): Promise<string> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return out.Body ? await out.Body.transformToString('utf8') : '';
  } catch (error) {
    const name = (error as { name?: string }).name;
    const missing = name === 'NoSuchKey' || name === 'NotFound';
    throw new ConfigError(
      `${uri}: cannot read config from S3: ${missing ? 'no such object (upload the YAML there, see infra/README.md)' : describeRedacted(error)}`,
      { cause: error, retryable: !missing && isRetryableAwsError(error) },
    );
  }
}

async function readParameter(name: string, location: string, client: SSMClient): Promise<string> {
  try {
    const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    return out.Parameter?.Value ?? '';
  } catch (error) {
    throw new ConfigError(`${location}: cannot read config parameter: ${describeRedacted(error)}`, {
      cause: error,
      retryable: isRetryableAwsError(error),
    });
  }
}
