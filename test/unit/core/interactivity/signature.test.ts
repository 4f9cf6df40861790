import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { slackSignature, verifySlackSignature } from '../../../../src/core/interactivity/signature.js';

// Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TS = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const NOW = Number(TS) * 1000 + 30_000;

describe('verifySlackSignature', () => {
  it("matches Slack's documented example signature", () => {
    expect(slackSignature(SECRET, TS, BODY)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
    expect(slackSignature(SECRET, TS, BODY)).toBe(
      `v0=${createHmac('sha256', SECRET).update(`v0:${TS}:${BODY}`).digest('hex')}`,
    );
  });

  it('accepts a valid signature within the window', () => {
    const signature = slackSignature(SECRET, TS, BODY);
    expect(verifySlackSignature(SECRET, { timestamp: TS, signature, body: BODY }, NOW)).toEqual({
      ok: true,
      timestampMs: Number(TS) * 1000,
    });
  });

  it.each([
    ['another secret', slackSignature('not-the-secret', TS, BODY), BODY],
    ['a changed body', slackSignature(SECRET, TS, BODY), `${BODY}&x=1`],
    ['a truncated signature', slackSignature(SECRET, TS, BODY).slice(0, 20), BODY],
    ['a v1 scheme', slackSignature(SECRET, TS, BODY).replace('v0=', 'v1='), BODY],
  ])('rejects %s', (_what, signature, body) => {
    const verdict = verifySlackSignature(SECRET, { timestamp: TS, signature, body }, NOW);
    expect(verdict).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a signature made for another timestamp', () => {
    const signature = slackSignature(SECRET, String(Number(TS) - 1), BODY);
    expect(verifySlackSignature(SECRET, { timestamp: TS, signature, body: BODY }, NOW)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it.each([
    ['5 minutes and 1 second old', 301_000],
    ['an hour old', 3_600_000],
    ['from 6 minutes in the future', -360_000],
  ])('rejects a correctly signed request %s (stale)', (_what, ageMs) => {
    const signature = slackSignature(SECRET, TS, BODY);
    const now = Number(TS) * 1000 + ageMs;
    expect(verifySlackSignature(SECRET, { timestamp: TS, signature, body: BODY }, now)).toMatchObject({
      ok: false,
      reason: 'stale',
    });
  });

  it('accepts exactly 5 minutes old', () => {
    const signature = slackSignature(SECRET, TS, BODY);
    expect(
      verifySlackSignature(SECRET, { timestamp: TS, signature, body: BODY }, Number(TS) * 1000 + 300_000).ok,
    ).toBe(true);
  });

  it('rejects missing headers and a timestamp that is not epoch seconds', () => {
    const signature = slackSignature(SECRET, TS, BODY);
    expect(verifySlackSignature(SECRET, { timestamp: undefined, signature, body: BODY }, NOW)).toMatchObject({
      reason: 'missing-headers',
    });
    expect(
      verifySlackSignature(SECRET, { timestamp: TS, signature: undefined, body: BODY }, NOW),
    ).toMatchObject({
      reason: 'missing-headers',
    });
    expect(
      verifySlackSignature(SECRET, { timestamp: '1531420618.5', signature, body: BODY }, NOW),
    ).toMatchObject({ ok: false, reason: 'stale' });
  });
});
