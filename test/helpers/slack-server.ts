import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startLoopbackServer } from './loopback-server.js';

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
  /** Accepted `chat.update` calls, in order. */
  updated: SlackCall[];
  /** The channel's current version of a posted message (after any updates), by channel and ts. */
  message(channel: string, ts: string): { text: unknown; blocks: unknown } | undefined;
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
  const updated: SlackCall[] = [];
  const messages = new Map<string, { text: unknown; blocks: unknown }>();
  const steps: SlackStep[] = [];
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
    if (req.method !== 'POST' || (method !== 'chat.postMessage' && method !== 'chat.update'))
      return json(200, { ok: false, error: 'unknown_method' });
    if (token !== options.token) return json(200, { ok: false, error: 'invalid_auth' });
    if (method === 'chat.update') {
      // As Slack: the message must exist in that channel; text and blocks are replaced.
      const key = `${String(body.channel)}/${String(body.ts)}`;
      const step = steps.shift() ?? { kind: 'ok' };
      if (step.kind === 'slack-error') return json(200, { ok: false, error: step.error });
      if (step.kind === 'http-error') {
        res.writeHead(step.status, { 'content-type': 'text/html' });
        return res.end('<html>upstream error</html>');
      }
      if (!messages.has(key)) return json(200, { ok: false, error: 'message_not_found' });
      messages.set(key, { text: body.text, blocks: body.blocks });
      updated.push(call);
      return json(200, { ok: true, channel: body.channel, ts: body.ts, text: body.text });
    }
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
        const ts = `1781000000.${String(seq).padStart(6, '0')}`;
        messages.set(`${body.channel}/${ts}`, { text: body.text, blocks: body.blocks });
        return json(200, {
          ok: true,
          channel: body.channel,
          ts,
          message: { text: body.text },
        });
      }
    }
  };

  const { port, close } = await startLoopbackServer(handle);
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    posted,
    updated,
    message: (channel, ts) => messages.get(`${channel}/${ts}`),
    script: (...more) => steps.push(...more),
    close,
  };
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
