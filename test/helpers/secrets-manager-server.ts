import { randomUUID } from 'node:crypto';
import { readBody, startLoopbackServer } from './loopback-server.js';

export interface FakeSecretsManager {
  endpoint: string;
  /** Every GetSecretValue request's SecretId, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A loopback server speaking the Secrets Manager JSON 1.1 protocol for `GetSecretValue` (what the handlers
 * call): `X-Amz-Target: secretsmanager.GetSecretValue`, `{SecretId}` in, the secret string out, or
 * ResourceNotFoundException for an unknown id. `secrets` maps ARNs or names to values. 127.0.0.1 only.
 */
export async function startSecretsManagerServer(
  secrets: Record<string, string>,
): Promise<FakeSecretsManager> {
  const requests: string[] = [];
  const server = await startLoopbackServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = JSON.parse((await readBody(req)) || '{}') as { SecretId?: string };
    const json = (status: number, payload: unknown) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
      res.end(JSON.stringify(payload));
    };
    if (target !== 'secretsmanager.GetSecretValue') {
      return json(400, { __type: 'InvalidRequestException', message: `unsupported operation ${target}` });
    }
    const id = body.SecretId ?? '';
    requests.push(id);
    const value = secrets[id];
    if (value === undefined) {
      return json(400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    }
    return json(200, {
      ARN: id.startsWith('arn:') ? id : `arn:aws:secretsmanager:us-east-1:111111111111:secret:${id}-AbCdEf`,
      Name: id.startsWith('arn:') ? id.split(':').at(-1) : id,
      SecretString: value,
      VersionId: randomUUID(),
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_780_000_000,
    });
  });
  return { endpoint: `http://127.0.0.1:${server.port}`, requests, close: server.close };
}
