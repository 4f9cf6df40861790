import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server.js';

export interface UploadedFile {
  id: string;
  filename: string;
  length: number;
  bytes?: Buffer;
  contentType?: string;
  shared?: { channel: string; threadTs?: string; title?: string };
}

export interface FakeSlackUploadServer {
  apiUrl: string;
  /** Every request: the Web API method or `upload`. */
  calls: { method: string; body: Record<string, unknown> }[];
  posted: { channel: string; text: string; blocks: unknown[]; ts: string }[];
  files: Map<string, UploadedFile>;
  /** Make the next call of `method` fail: an `ok:false` error, or an HTTP status. */
  failNext(method: string, failure: { error: string } | { status: number; retryAfterSec?: number }): void;
  close(): Promise<void>;
}

const CHANNEL_IDS: Record<string, string> = { '#finops': 'C0FINOPS1', finops: 'C0FINOPS1' };

/**
 * A loopback server speaking Slack's Web API for what the report publisher uses: `chat.postMessage`
 * (answers with the channel id), `files.getUploadURLExternal` (hands out an upload URL on itself), the raw
 * upload, and `files.completeUploadExternal` (takes channel ids only, as Slack does). Binds 127.0.0.1.
 */
export async function startSlackUploadServer(token: string): Promise<FakeSlackUploadServer> {
  const calls: FakeSlackUploadServer['calls'] = [];
  const posted: FakeSlackUploadServer['posted'] = [];
  const files = new Map<string, UploadedFile>();
  const failures = new Map<string, ({ error: string } | { status: number; retryAfterSec?: number })[]>();
  let seq = 0;
  let base = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const url = req.url ?? '';
    if (url.startsWith('/upload/')) {
      const id = url.slice('/upload/'.length);
      calls.push({ method: 'upload', body: { id, length: raw.length } });
      const file = files.get(id);
      const failure = failures.get('upload')?.shift();
      if (failure && 'status' in failure) {
        res.writeHead(failure.status);
        return res.end('upload failed');
      }
      if (!file || req.method !== 'POST') {
        res.writeHead(404);
        return res.end();
      }
      file.bytes = raw;
      file.contentType = String(req.headers['content-type'] ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(`OK - ${raw.length}`);
    }
    const method = url.replace(/^\/api\//, '').split('?')[0] ?? '';
    const contentType = String(req.headers['content-type'] ?? '');
    const text = raw.toString('utf8');
    const body: Record<string, unknown> = contentType.includes('application/json')
      ? (JSON.parse(text || '{}') as Record<string, unknown>)
      : Object.fromEntries(
          [...new URLSearchParams(text)].map(([k, v]) => [
            k,
            k === 'blocks' || k === 'files' ? JSON.parse(v) : v,
          ]),
        );
    calls.push({ method, body });
    if (req.headers.authorization !== `Bearer ${token}`)
      return json(200, { ok: false, error: 'invalid_auth' });
    const failure = failures.get(method)?.shift();
    if (failure) {
      if ('status' in failure) {
        return json(
          failure.status,
          { ok: false, error: 'ratelimited' },
          failure.retryAfterSec ? { 'retry-after': String(failure.retryAfterSec) } : {},
        );
      }
      return json(200, { ok: false, error: failure.error });
    }
    switch (method) {
      case 'chat.postMessage': {
        const channel = CHANNEL_IDS[String(body.channel)] ?? String(body.channel);
        seq += 1;
        const ts = `1781000000.${String(seq).padStart(6, '0')}`;
        posted.push({ channel, text: String(body.text ?? ''), blocks: (body.blocks as unknown[]) ?? [], ts });
        return json(200, { ok: true, channel, ts });
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
    failNext: (method, failure) => failures.set(method, [...(failures.get(method) ?? []), failure]),
    close,
  };
}
