import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalNotificationLog } from '../../src/adapters/local-fs/notification-log.js';
import { classifyTransportError, markRequestProgress } from '../../src/adapters/network-errors.js';
import { SlackNotifier } from '../../src/adapters/slack/slack-notifier.js';
import { createSnsClient, SnsNotifier } from '../../src/adapters/sns/sns-notifier.js';
import { notify } from '../../src/app/notify.js';
import type { NotificationDelivery } from '../../src/app/ports/alerting.js';
import { toAlert } from '../../src/core/alerting/alert.js';
import { renderSlackMessage } from '../../src/core/render/slack-message.js';
import { renderSnsMessage } from '../../src/core/render/sns-message.js';
import { startSlackServer } from '../helpers/slack-server.js';
import { startSnsServer } from '../helpers/sns-server.js';
import { alertingFrom, makeFinding, NOW } from '../unit/core/alerting/fixtures.js';

const TOKEN = 'xoxb-111111111111-222222222222-abcdefghijklmnopqrstuvwx';
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:bedrock-pages';
const tls = (name: string) => readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url));

/** An error shaped as Node / undici raise it: `fetch failed` with the coded error as its cause. */
function fetchFailed(code: string, extra: Record<string, unknown> = {}): Error {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error(`${code} happened`), { code, ...extra }),
  });
}

describe('classifyTransportError: only a failure after the request was written whole is unknown', () => {
  const cases: [string, Error, 'retryable' | 'rejected' | 'unknown'][] = [
    ['ECONNREFUSED', fetchFailed('ECONNREFUSED', { syscall: 'connect' }), 'retryable'],
    ['ENOTFOUND', fetchFailed('ENOTFOUND', { syscall: 'getaddrinfo' }), 'retryable'],
    ['EAI_AGAIN', fetchFailed('EAI_AGAIN', { syscall: 'getaddrinfo' }), 'retryable'],
    ['EHOSTUNREACH', fetchFailed('EHOSTUNREACH'), 'retryable'],
    ['ENETUNREACH', fetchFailed('ENETUNREACH'), 'retryable'],
    ['UND_ERR_CONNECT_TIMEOUT', fetchFailed('UND_ERR_CONNECT_TIMEOUT'), 'retryable'],
    ['CERT_HAS_EXPIRED', fetchFailed('CERT_HAS_EXPIRED'), 'rejected'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', fetchFailed('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'rejected'],
    ['SELF_SIGNED_CERT_IN_CHAIN (proxy)', fetchFailed('SELF_SIGNED_CERT_IN_CHAIN'), 'rejected'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', fetchFailed('DEPTH_ZERO_SELF_SIGNED_CERT'), 'rejected'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', fetchFailed('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), 'rejected'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', fetchFailed('ERR_TLS_CERT_ALTNAME_INVALID'), 'rejected'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', fetchFailed('ERR_SSL_WRONG_VERSION_NUMBER'), 'rejected'],
    ['EPROTO', fetchFailed('EPROTO'), 'rejected'],
    ['ERR_INVALID_CHAR', fetchFailed('ERR_INVALID_CHAR'), 'rejected'],
    ['ERR_INVALID_HTTP_TOKEN', fetchFailed('ERR_INVALID_HTTP_TOKEN'), 'rejected'],
    ['ERR_INVALID_URL', fetchFailed('ERR_INVALID_URL'), 'rejected'],
    ['ERR_SOCKET_BAD_PORT', fetchFailed('ERR_SOCKET_BAD_PORT'), 'rejected'],
    [
      'undici invalid header value (no code)',
      new TypeError('Headers.append: "Bearer a\nb" is an invalid header value.'),
      'rejected',
    ],
    ['ECONNRESET while connecting', fetchFailed('ECONNRESET', { syscall: 'connect' }), 'retryable'],
    ['ECONNRESET, progress unknown', fetchFailed('ECONNRESET', { syscall: 'read' }), 'unknown'],
    ['ECONNRESET before written', markRequestProgress(fetchFailed('ECONNRESET'), false), 'retryable'],
    ['ECONNRESET after written', markRequestProgress(fetchFailed('ECONNRESET'), true), 'unknown'],
    ['EPIPE, progress unknown', fetchFailed('EPIPE'), 'unknown'],
    ['EPIPE before written', markRequestProgress(fetchFailed('EPIPE'), false), 'retryable'],
    ['ETIMEDOUT after written', markRequestProgress(fetchFailed('ETIMEDOUT'), true), 'unknown'],
    ['UND_ERR_SOCKET after written', markRequestProgress(fetchFailed('UND_ERR_SOCKET'), true), 'unknown'],
    ['UND_ERR_HEADERS_TIMEOUT', fetchFailed('UND_ERR_HEADERS_TIMEOUT'), 'unknown'],
    ['UND_ERR_BODY_TIMEOUT', fetchFailed('UND_ERR_BODY_TIMEOUT'), 'unknown'],
    ['TimeoutError, progress unknown', new DOMException('timed out', 'TimeoutError'), 'unknown'],
    [
      'TimeoutError before written',
      markRequestProgress(new DOMException('timed out', 'TimeoutError'), false),
      'retryable',
    ],
    ['uncoded error', new Error('something odd'), 'unknown'],
  ];
  it.each(cases)('%s → %s', (_label, error, expected) => {
    expect(classifyTransportError(error).status).toBe(expected);
  });
});

// ─── loopback: real sockets, real TLS ─────────────────────────────────────────────────────────────

interface Endpoint {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (server as Server & { dropAll?: () => void }).dropAll = () => {
    for (const s of sockets) s.destroy();
  };
  return (server.address() as AddressInfo).port;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      (server as Server & { dropAll?: () => void }).dropAll?.();
      server.close(() => resolve());
    });
}

/** An HTTPS server with the given certificate chain; answers 200 (never reached when the chain is refused). */
async function tlsServer(cert: Buffer, key: Buffer): Promise<Endpoint> {
  const server = createHttpsServer({ cert, key }, (_req, res) => res.end('{"ok":true}'));
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}/`, close: closer(server) };
}

/** Accepts TCP, reads the whole request, then drops the connection without an answer. */
async function dropAfterRequest(): Promise<Endpoint & { requests: number }> {
  const state = { requests: 0 };
  const server = createNetServer((socket) => {
    let seen = '';
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      const head = seen.indexOf('\r\n\r\n');
      const length = Number(/content-length: *(\d+)/i.exec(seen)?.[1] ?? 0);
      if (head >= 0 && seen.length - head - 4 >= length) {
        state.requests += 1;
        socket.destroy();
      }
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    close: closer(server),
    get requests() {
      return state.requests;
    },
  };
}

/** Accepts TCP and never speaks: a TLS client hangs in the handshake, before any request byte. */
async function silentServer(): Promise<Endpoint> {
  const server = createNetServer(() => undefined);
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}/`, close: closer(server) };
}

async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await closer(server)();
  return port;
}

const slackDelivery = (): Extract<NotificationDelivery, { kind: 'slack' }> => ({
  kind: 'slack',
  receiver: 'oncall/slack',
  groupKey: 'g1',
  channel: '#bedrock-oncall',
  tokenRef: 'SLACK_BOT_TOKEN',
  message: renderSlackMessage({
    receiver: 'oncall/slack',
    groupKey: 'g1',
    groupLabels: { workload: 'support-bot' },
    alerts: [toAlert(makeFinding())],
    reason: 'first',
  }),
});

const snsDelivery = (): Extract<NotificationDelivery, { kind: 'sns' }> => ({
  kind: 'sns',
  receiver: 'oncall/sns',
  groupKey: 'g1',
  topicArn: TOPIC,
  message: renderSnsMessage({
    receiver: 'oncall/sns',
    groupKey: 'g1',
    groupLabels: { workload: 'support-bot' },
    alerts: [toAlert(makeFinding())],
    reason: 'first',
  }),
});

const slackAt = (apiUrl: string, token = TOKEN) =>
  new SlackNotifier({ tokens: { SLACK_BOT_TOKEN: token }, slackApiUrl: apiUrl, timeoutMs: 1_000 });

const snsAt = (endpoint: string) =>
  new SnsNotifier(
    createSnsClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      requestTimeoutMs: 1_000,
    }),
  );

describe('Slack and SNS send failures over loopback', () => {
  let selfSigned: Endpoint;
  let proxy: Endpoint;
  let dropper: Endpoint & { requests: number };
  let silent: Endpoint;
  beforeAll(async () => {
    selfSigned = await tlsServer(tls('self-signed.crt'), tls('self-signed.key'));
    proxy = await tlsServer(
      Buffer.concat([tls('proxy-leaf.crt'), tls('proxy-ca.crt')]),
      tls('proxy-leaf.key'),
    );
    dropper = await dropAfterRequest();
    silent = await silentServer();
  });
  afterAll(async () => {
    await Promise.all([selfSigned.close(), proxy.close(), dropper.close(), silent.close()]);
  });

  it('Slack: a self-signed certificate is rejected (nothing sent), naming the code', async () => {
    const outcome = await slackAt(`${selfSigned.url}api/`).send(slackDelivery());
    expect(outcome.status).toBe('rejected');
    expect(outcome).toMatchObject({ error: expect.stringContaining('DEPTH_ZERO_SELF_SIGNED_CERT') });
  });

  it('Slack: a TLS-inspecting proxy’s certificate is rejected (nothing sent)', async () => {
    const outcome = await slackAt(`${proxy.url}api/`).send(slackDelivery());
    expect(outcome).toMatchObject({
      status: 'rejected',
      error: expect.stringContaining('SELF_SIGNED_CERT_IN_CHAIN'),
    });
    expect(outcome).toMatchObject({ error: expect.stringContaining('NODE_EXTRA_CA_CERTS') });
  });

  it('Slack: a closed port is retryable', async () => {
    const outcome = await slackAt(`http://127.0.0.1:${await closedPort()}/api/`).send(slackDelivery());
    expect(outcome.status).toBe('retryable');
  });

  it('Slack: an impossible port is rejected', async () => {
    const outcome = await slackAt('http://127.0.0.1:70000/api/').send(slackDelivery());
    expect(outcome).toMatchObject({ status: 'rejected', error: expect.stringContaining('ERR_INVALID_URL') });
  });

  it('Slack: TLS spoken to a plain-HTTP port is rejected', async () => {
    const slack = await startSlackServer({ token: TOKEN });
    try {
      const outcome = await slackAt(slack.apiUrl.replace('http:', 'https:')).send(slackDelivery());
      expect(outcome).toMatchObject({ status: 'rejected', error: expect.stringContaining('ERR_SSL_') });
      expect(slack.calls).toHaveLength(0);
    } finally {
      await slack.close();
    }
  });

  it('Slack: a token with a newline inside is rejected without a request, and not echoed', async () => {
    const bad = 'xoxb-1111-2222\nabcdefghijklmnop';
    const outcome = await slackAt(`${dropper.url}api/`, bad).send(slackDelivery());
    expect(outcome).toMatchObject({ status: 'rejected', error: expect.stringContaining('header') });
    expect(JSON.stringify(outcome)).not.toContain('abcdefghijklmnop');
    expect(dropper.requests).toBe(0);
  });

  it('Slack: a TLS handshake that times out (before the request) is retryable', async () => {
    const outcome = await slackAt(`${silent.url}api/`).send(slackDelivery());
    expect(outcome.status).toBe('retryable');
  });

  it('Slack: the request written whole, then the connection dropped: unknown', async () => {
    const before = dropper.requests;
    const outcome = await slackAt(`${dropper.url}api/`).send(slackDelivery());
    expect(outcome.status).toBe('unknown');
    expect(dropper.requests).toBe(before + 1);
  });

  it('SNS: a self-signed certificate is rejected, a closed port retryable, a dropped answer unknown', async () => {
    expect((await snsAt(selfSigned.url).send(snsDelivery())).status).toBe('rejected');
    expect((await snsAt(proxy.url).send(snsDelivery())).status).toBe('rejected');
    expect((await snsAt(`http://127.0.0.1:${await closedPort()}`).send(snsDelivery())).status).toBe(
      'retryable',
    );
    expect((await snsAt(silent.url).send(snsDelivery())).status).toBe('retryable');
    const before = dropper.requests;
    expect((await snsAt(dropper.url).send(snsDelivery())).status).toBe('unknown');
    expect(dropper.requests).toBe(before + 1);
  });

  it('notify: a TLS failure is not recorded as sent; the re-run delivers', async () => {
    // Prepare
    const slack = await startSlackServer({ token: TOKEN });
    const sns = await startSnsServer();
    const dir = await mkdtemp(join(tmpdir(), 'send-failures-'));
    const alerting = alertingFrom({
      routes: { receiver: 'oncall' },
      receivers: [{ name: 'oncall', slack: { channel: '#bedrock-oncall' }, sns: { topic_arn: TOPIC } }],
    });
    const deps = (slackUrl: string, snsUrl: string) => ({
      log: new LocalNotificationLog({ path: join(dir, 'notification-log.json') }),
      notifiers: { slack: slackAt(slackUrl), sns: snsAt(snsUrl) },
      clock: () => new Date(NOW),
    });
    try {
      // Act
      const failed = await notify(
        { findings: [makeFinding()], alerting },
        deps(`${proxy.url}api/`, selfSigned.url),
      );
      const rerun = await notify({ findings: [makeFinding()], alerting }, deps(slack.apiUrl, sns.endpoint));
      // Assess
      expect(failed.entries.map((e) => e.outcome)).toEqual(['rejected', 'rejected']);
      expect(rerun.entries.map((e) => [e.reason, e.outcome])).toEqual([
        ['first', 'delivered'],
        ['first', 'delivered'],
      ]);
      expect(slack.posted).toHaveLength(1);
      expect(sns.published).toHaveLength(1);
    } finally {
      await Promise.all([slack.close(), sns.close(), rm(dir, { recursive: true, force: true })]);
    }
  });
});

describe('weekly digest: a failed send is not recorded as sent', () => {
  it('SNS behind a self-signed certificate: rejected, and the re-run delivers (not already-sent)', async () => {
    // Prepare
    const { sendWeeklyDigest } = await import('../../src/app/weekly-digest.js');
    const { DIGEST_OPTIONS, generateFacts, memoryFactStore } = await import('../helpers/digest-facts.js');
    const selfSigned = await tlsServer(tls('self-signed.crt'), tls('self-signed.key'));
    const sns = await startSnsServer();
    const dir = await mkdtemp(join(tmpdir(), 'digest-send-failures-'));
    const store = memoryFactStore(
      [
        ...generateFacts('2026-06-01', '2026-06-30', 1, () => 'june-v1'),
        ...generateFacts('2026-07-01', '2026-07-08', 2, () => 'july-v1'),
      ],
      '2026-07-08T23:00:00Z',
    );
    const run = (endpoint: string) =>
      sendWeeklyDigest(
        {
          week: '2026-W27',
          options: DIGEST_OPTIONS,
          sendPartialWeeks: false,
          receivers: [{ name: 'finance', sns: { topic_arn: TOPIC } }],
          send: true,
        },
        {
          store,
          log: new LocalNotificationLog({ path: join(dir, 'notification-log.json') }),
          clock: () => new Date('2026-07-09T08:00:00Z'),
          writer: { write: async (file) => join(dir, file.name) },
          sns: snsAt(endpoint),
        },
      );
    try {
      // Act
      const failed = await run(selfSigned.url);
      const rerun = await run(sns.endpoint);
      const again = await run(sns.endpoint);
      // Assess
      expect(failed.deliveries.map((d) => d.outcome)).toEqual(['rejected']);
      expect(failed.deliveries[0]?.detail).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(rerun.deliveries.map((d) => d.outcome)).toEqual(['delivered']);
      expect(again.deliveries.map((d) => d.outcome)).toEqual(['already-sent']);
      expect(sns.published).toHaveLength(1);
    } finally {
      await Promise.all([selfSigned.close(), sns.close(), rm(dir, { recursive: true, force: true })]);
    }
  });
});
