import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server.js';

/** One request the fake Slack received, body decoded (form or JSON; `blocks`, `attachments`, `files` parsed). */
export interface SlackCall {
  /** The Web API method (`chat.postMessage`, …) or `upload` for a file's bytes. */
  method: string;
  /** Bearer token from the Authorization header, or the `token` form field. */
  token: string | null;
  contentType: string;
  body: Record<string, unknown>;
  receivedAtMs: number;
}

/** A message Slack accepted (what a channel would show). */
export interface PostedMessage extends SlackCall {
  /** Channel id Slack answered with (`#finops` → `C0FINOPS1`; other names as given). */
  channel: string;
  text: string;
  blocks: unknown[];
  ts: string;
}

export interface UploadedFile {
  id: string;
  filename: string;
  length: number;
  bytes?: Buffer;
  contentType?: string;
  shared?: { channel: string; threadTs?: string; title?: string };
}

/**
 * What the next call of `method` (default `chat.postMessage`) gets; unscripted calls succeed.
 * `hang` reads the whole request and never answers: the client times out after the request was written.
 */
export type SlackStep = { method?: string } & (
  | { kind: 'ok' }
  | { kind: 'rate-limited'; retryAfterSec: number }
  | { kind: 'http-error'; status: number }
  | { kind: 'slack-error'; error: string }
  | { kind: 'hang' }
);

export interface FakeSlackServer {
  /** For WebClient `slackApiUrl`. */
  apiUrl: string;
  calls: SlackCall[];
  posted: PostedMessage[];
  /** Files uploaded with the external upload flow, by id. */
  files: Map<string, UploadedFile>;
  /** Accepted `chat.update` calls, in order. */
  updated: SlackCall[];
  /** The channel's current version of a posted message (after any updates), by channel id and ts. */
  message(channel: string, ts: string): { text: unknown; blocks: unknown } | undefined;
  script(...steps: SlackStep[]): void;
  close(): Promise<void>;
}

const CHANNEL_IDS: Record<string, string> = { '#finops': 'C0FINOPS1', finops: 'C0FINOPS1' };

/**
 * The one fake Slack: a loopback server (127.0.0.1 only) speaking the Web API wire protocol for what the
 * notifier, the report publisher and the interactivity endpoint use: `chat.postMessage`, `chat.update` (Bearer or form-token auth, form or JSON bodies,
 * `{ok, channel, ts}` answers), `files.getUploadURLExternal` (hands out an upload URL on itself), the raw
 * upload, and `files.completeUploadExternal` (takes channel ids only, as Slack does); scripted failures.
 */
export async function startSlackServer(options: { token: string }): Promise<FakeSlackServer> {
  const calls: SlackCall[] = [];
  const posted: PostedMessage[] = [];
  const files = new Map<string, UploadedFile>();
  const updated: SlackCall[] = [];
  const messages = new Map<string, { text: unknown; blocks: unknown }>();
  const steps = new Map<string, SlackStep[]>();
  let seq = 0;
  let base = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readRaw(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const url = req.url ?? '';
    const isUpload = url.startsWith('/upload/');
    const body = isUpload
      ? { id: url.slice('/upload/'.length), length: raw.length }
      : decodeBody(raw, contentType);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ')
      ? auth.slice(7)
      : typeof body.token === 'string'
        ? body.token
        : null;
    const method = isUpload ? 'upload' : (url.replace(/^\/api\//, '').split('?')[0] ?? '');
    const call: SlackCall = { method, token, contentType, body, receivedAtMs: Date.now() };
    calls.push(call);
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST') return json(200, { ok: false, error: 'unknown_method' });
    // The upload URL is pre-signed: no token on it, as with Slack's.
    if (!isUpload && token !== options.token) return json(200, { ok: false, error: 'invalid_auth' });
    const step = steps.get(method)?.shift() ?? { kind: 'ok' };
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
      case 'ok':
        break;
    }
    switch (method) {
      case 'upload': {
        const file = files.get(String(body.id));
        if (!file) {
          res.writeHead(404);
          return res.end();
        }
        file.bytes = Buffer.from(raw);
        file.contentType = contentType;
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(`OK - ${raw.length}`);
      }
      case 'chat.postMessage': {
        if (typeof body.channel !== 'string' || body.channel === '')
          return json(200, { ok: false, error: 'channel_not_found' });
        const channel = CHANNEL_IDS[body.channel] ?? body.channel;
        seq += 1;
        const ts = `1781000000.${String(seq).padStart(6, '0')}`;
        posted.push({
          ...call,
          channel,
          text: String(body.text ?? ''),
          blocks: (body.blocks as unknown[] | undefined) ?? [],
          ts,
        });
        messages.set(`${channel}/${ts}`, { text: body.text, blocks: body.blocks });
        return json(200, { ok: true, channel, ts, message: { text: body.text } });
      }
      case 'chat.update': {
        // As Slack: the message must exist in that channel; its text and blocks are replaced.
        const key = `${String(body.channel)}/${String(body.ts)}`;
        if (!messages.has(key)) return json(200, { ok: false, error: 'message_not_found' });
        messages.set(key, { text: body.text, blocks: body.blocks });
        updated.push(call);
        return json(200, { ok: true, channel: body.channel, ts: body.ts, text: body.text });
      }
      case 'files.getUploadURLExternal': {
        seq += 1;
        const id = `F${String(seq).padStart(8, '0')}`;
        files.set(id, { id, filename: String(body.filename), length: Number(body.length) });
        return json(200, { ok: true, upload_url: `${base}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const list = (typeof body.files === 'string' ? JSON.parse(body.files) : body.files) as {
          id: string;
          title?: string;
        }[];
        const channel = String(body.channel_id ?? '');
        if (!/^C[A-Z0-9]+$/.test(channel)) return json(200, { ok: false, error: 'invalid_channel_id' });
        for (const entry of list) {
          const file = files.get(entry.id);
          if (!file?.bytes) return json(200, { ok: false, error: 'file_not_found' });
          file.shared = {
            channel,
            ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
            ...(entry.title ? { title: entry.title } : {}),
          };
        }
        return json(200, { ok: true, files: list.map((f) => ({ id: f.id })) });
      }
      default:
        return json(200, { ok: false, error: 'unknown_method' });
    }
  };

  const { port, close } = await startLoopbackServer(handle);
  base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    calls,
    posted,
    files,
    updated,
    message: (channel, ts) => messages.get(`${channel}/${ts}`),
    script: (...more) => {
      for (const step of more) {
        const method = step.method ?? 'chat.postMessage';
        steps.set(method, [...(steps.get(method) ?? []), step]);
      }
    },
    close,
  };
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeBody(raw: Buffer, contentType: string): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType.includes('application/json'))
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    out[key] = key === 'blocks' || key === 'attachments' || key === 'files' ? JSON.parse(value) : value;
  }
  return out;
}
