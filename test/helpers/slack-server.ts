import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the fake Slack received, body decoded (form or JSON; `blocks` parsed). */
export interface SlackCall {
  method: string;
  /** Bearer token from the Authorization header, or the `token` form field. */
  token: string | null;
  contentType: string;
  body: Record<string, unknown>;
  receivedAtMs: number;
}

/** What the next `chat.postMessage` gets; unscripted calls succeed. */
export type SlackStep =
  | { kind: 'ok' }
  | { kind: 'rate-limited'; retryAfterSec: number }
  | { kind: 'http-error'; status: number }
  | { kind: 'slack-error'; error: string }
  /** Read the whole request, then never answer: the client times out after the request was written. */
  | { kind: 'hang' };

export interface FakeSlackServer {
  /** For WebClient `slackApiUrl`. */
  apiUrl: string;
  calls: SlackCall[];
  /** Messages Slack accepted (what a channel would show). */
  posted: SlackCall[];
  script(...steps: SlackStep[]): void;
  close(): Promise<void>;
}

/**
 * A loopback server speaking the Slack Web API wire protocol for `chat.postMessage`: Bearer auth,
 * form or JSON bodies, `{ok, channel, ts}` answers, and scripted failures. Binds 127.0.0.1 only.
 */
export async function startSlackServer(options: { token: string }): Promise<FakeSlackServer> {
  const calls: SlackCall[] = [];
  const posted: SlackCall[] = [];
  const steps: SlackStep[] = [];
  const sockets = new Set<Socket>();
  let seq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const body = decodeBody(raw, contentType);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ')
      ? auth.slice(7)
      : typeof body.token === 'string'
        ? body.token
        : null;
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const call: SlackCall = { method, token, contentType, body, receivedAtMs: Date.now() };
    calls.push(call);
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST' || method !== 'chat.postMessage')
      return json(200, { ok: false, error: 'unknown_method' });
    if (token !== options.token) return json(200, { ok: false, error: 'invalid_auth' });
    const step = steps.shift() ?? { kind: 'ok' };
    switch (step.kind) {
      case 'rate-limited':
        return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(step.retryAfterSec) });
      case 'http-error':
        res.writeHead(step.status, { 'content-type': 'text/html' });
        return res.end('<html>upstream error</html>');
      case 'slack-error':
        return json(200, { ok: false, error: step.error });
      case 'hang':
        return;
      case 'ok': {
        if (typeof body.channel !== 'string' || body.channel === '')
          return json(200, { ok: false, error: 'channel_not_found' });
        posted.push(call);
        seq += 1;
        return json(200, {
          ok: true,
          channel: body.channel,
          ts: `1781000000.${String(seq).padStart(6, '0')}`,
          message: { text: body.text },
        });
      }
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    posted,
    script: (...more) => steps.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function decodeBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json'))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = key === 'blocks' || key === 'attachments' ? JSON.parse(value) : value;
  }
  return out;
}
