import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InteractionRequest, InteractionResponse } from '../../app/ports/interactivity.js';

/** Where Slack posts interactive payloads on the local server (the Slack app's Request URL path). */
export const INTERACTIVITY_PATH = '/slack/interactivity';
/** Slack payloads are a few KB; anything much larger is not Slack. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface InteractionServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A plain HTTP server for `bedrock-cost serve`: POST INTERACTIVITY_PATH goes to `handle` with the raw
 * body and lower-cased headers (as Node gives them), GET /healthz answers ok, everything else is 404.
 * Bodies over 1 MiB are refused (413) before they are read whole.
 */
export async function startInteractionServer(
  handle: (request: InteractionRequest) => Promise<InteractionResponse>,
  options: { host: string; port: number; onResponse?: (response: InteractionResponse) => void },
): Promise<InteractionServer> {
  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      options.onResponse?.({ status: 500, body: '', outcome: `failed: ${(error as Error).message}` });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, 'ok');
    if (path !== INTERACTIVITY_PATH) return send(res, 404, 'not found');
    const body = await readLimited(req);
    if (body === null) {
      options.onResponse?.({ status: 413, body: '', outcome: 'rejected: body too large' });
      return send(res, 413, 'body too large');
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    const response = await handle({ method: req.method ?? 'GET', headers, body });
    options.onResponse?.(response);
    send(res, response.status, response.body);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}${INTERACTIVITY_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

async function readLimited(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
