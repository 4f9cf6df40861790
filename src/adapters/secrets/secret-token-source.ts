import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { AppError } from '../../core/errors.js';
import { describeRedacted } from '../../core/render/redact.js';
import { isRetryableAwsError } from '../aws-errors.js';
import { TtlCache } from './ttl-cache.js';

/** A secret could not be read; the message names the secret, never its value. */
export class SecretError extends AppError {
  readonly _tag = 'SecretError';
}

/** Resolves a receiver's token reference (`token_env`) to the token. */
export interface TokenSource {
  /** The token, or undefined when the reference names nothing (an unset environment variable). */
  token(ref: string): Promise<string | undefined>;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** A rotated Slack token reaches warm functions within this time; Secrets Manager is called at most this often. */
export const DEFAULT_SECRET_TTL_MS = 5 * 60_000;

export interface AwsTokenSourceOptions {
  /** Created on first use only when a reference needs it. */
  secretsManager: () => SecretsManagerClient;
  ssm: () => SSMClient;
  /**
   * The deployment's secret (BEDROCK_COST_SLACK_SECRET_ARN, value = the raw token). References that name an
   * environment variable (the default `SLACK_BOT_TOKEN`) resolve to it: in Lambda, tokens never sit in the
   * function's environment, where anyone who can read the configuration would see them.
   */
  defaultSecretId?: string | undefined;
  /** Where variable-name references are read when there is no default secret (local runs). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  ttlMs?: number | undefined;
  nowMs?: (() => number) | undefined;
  /** Told after each read from Secrets Manager or SSM (not cache hits): what was read, and how long it took. */
  onRead?: ((id: string, ms: number) => void) | undefined;
}

/**
 * Tokens from Secrets Manager (`secretsmanager:<id>`, a secret ARN, or the deployment secret) and SSM
 * SecureString parameters (`ssm:/name`, a parameter ARN), cached per reference for `ttlMs`.
 */
export class AwsTokenSource implements TokenSource {
  private readonly cache: TtlCache<string | undefined>;

  constructor(private readonly options: AwsTokenSourceOptions) {
    this.cache = new TtlCache(options.ttlMs ?? DEFAULT_SECRET_TTL_MS, options.nowMs);
  }

  token(ref: string): Promise<string | undefined> {
    return this.cache.get(ref, () => this.fetch(ref));
  }

  private async fetch(ref: string): Promise<string | undefined> {
    if (ENV_NAME.test(ref)) {
      if (this.options.defaultSecretId) return this.secret(this.options.defaultSecretId, ref);
      return this.options.env?.[ref] || undefined;
    }
    if (ref.startsWith('secretsmanager:')) return this.secret(ref.slice('secretsmanager:'.length), ref);
    if (/^arn:aws[a-z-]*:secretsmanager:/.test(ref)) return this.secret(ref, ref);
    if (ref.startsWith('ssm:')) return this.parameter(ref.slice('ssm:'.length), ref);
    if (/^arn:aws[a-z-]*:ssm:/.test(ref)) return this.parameter(ref, ref);
    throw new SecretError(
      `token reference "${ref}" is neither an environment variable name nor a secret reference`,
    );
  }

  private async secret(secretId: string, ref: string): Promise<string> {
    let value: string | undefined;
    try {
      const started = performance.now();
      const out = await this.options.secretsManager().send(new GetSecretValueCommand({ SecretId: secretId }));
      this.options.onRead?.(secretId, performance.now() - started);
      value = out.SecretString;
    } catch (error) {
      throw new SecretError(`cannot read secret ${secretId} (for ${ref}): ${describeRedacted(error)}`, {
        cause: error,
        retryable: isRetryableAwsError(error),
      });
    }
    const token = value?.trim();
    if (!token) throw new SecretError(`secret ${secretId} (for ${ref}) has no string value`);
    return token;
  }

  private async parameter(name: string, ref: string): Promise<string> {
    let value: string | undefined;
    try {
      // Loaded on first use: a function whose references are all Secrets Manager never loads the SSM SDK.
      const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const started = performance.now();
      const out = await this.options
        .ssm()
        .send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      this.options.onRead?.(name, performance.now() - started);
      value = out.Parameter?.Value;
    } catch (error) {
      throw new SecretError(`cannot read parameter ${name} (for ${ref}): ${describeRedacted(error)}`, {
        cause: error,
        retryable: isRetryableAwsError(error),
      });
    }
    const token = value?.trim();
    if (!token) throw new SecretError(`parameter ${name} (for ${ref}) is empty`);
    return token;
  }
}
