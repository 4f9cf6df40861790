import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackFileUploadPublisher } from '../../../src/adapters/slack/file-upload.js';
import type { ReportSlackDelivery } from '../../../src/app/ports/reports.js';
import { type FakeSlackServer, startSlackServer } from '../../helpers/slack-server.js';

const TOKEN = 'xoxb-test-token-123456';

const delivery = (): ReportSlackDelivery => ({
  receiver: 'finance/slack',
  groupKey: 'report:weekly-digest:2026-W23',
  channel: '#finops',
  tokenRef: 'SLACK_BOT_TOKEN',
  message: {
    text: 'Bedrock chargeback 2026-W23: $1.00',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
  },
  file: {
    name: 'bedrock-chargeback-2026-W23.csv',
    content: 'week,cost\n2026-W23,1.5\n',
    mimeType: 'text/csv',
  },
});

describe('SlackFileUploadPublisher (Slack Web API on loopback)', () => {
  let slack: FakeSlackServer;
  let publisher: SlackFileUploadPublisher;
  beforeEach(async () => {
    slack = await startSlackServer({ token: TOKEN });
    publisher = new SlackFileUploadPublisher({
      tokens: { SLACK_BOT_TOKEN: TOKEN },
      slackApiUrl: slack.apiUrl,
      sleep: async () => undefined,
    });
  });
  afterEach(async () => {
    await slack.close();
  });

  it('posts the summary, then uploads the CSV into its thread with the external upload flow', async () => {
    const outcome = await publisher.publish(delivery());
    expect(outcome.status).toBe('delivered');
    expect(slack.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    const post = slack.posted[0]!;
    expect(post.channel).toBe('C0FINOPS1');
    const [file] = [...slack.files.values()];
    expect(file!.filename).toBe('bedrock-chargeback-2026-W23.csv');
    expect(file!.length).toBe(Buffer.byteLength(delivery().file.content));
    expect(file!.bytes!.toString('utf8')).toBe(delivery().file.content);
    // completeUploadExternal takes the channel id the post answered with, not the "#finops" name.
    expect(file!.shared).toEqual({
      channel: 'C0FINOPS1',
      threadTs: post.ts,
      title: 'bedrock-chargeback-2026-W23.csv',
    });
  });

  it('a failed post is not delivered and says whether to retry', async () => {
    slack.script({ kind: 'slack-error', error: 'channel_not_found' });
    expect((await publisher.publish(delivery())).status).toBe('rejected');
    slack.script({ kind: 'http-error', status: 503 });
    expect((await publisher.publish(delivery())).status).toBe('retryable');
    expect(slack.files.size).toBe(0);
  });

  it('waits out a 429 with Retry-After', async () => {
    slack.script({ method: 'files.getUploadURLExternal', kind: 'rate-limited', retryAfterSec: 1 });
    const outcome = await publisher.publish(delivery());
    expect(outcome).toMatchObject({ status: 'delivered' });
    expect(outcome.note).toMatch(/uploaded/);
    expect(slack.calls.filter((c) => c.method === 'files.getUploadURLExternal')).toHaveLength(2);
  });

  it('once the summary is posted, a failed upload is still delivered (no second post) with a note', async () => {
    slack.script({ method: 'upload', kind: 'http-error', status: 500 });
    const outcome = await publisher.publish(delivery());
    expect(outcome.status).toBe('delivered');
    expect(outcome.note).toMatch(/summary posted but bedrock-chargeback-2026-W23\.csv was not uploaded/);
    expect(slack.posted).toHaveLength(1);
  });

  it('never shows the token in an outcome', async () => {
    const bad = new SlackFileUploadPublisher({
      tokens: { SLACK_BOT_TOKEN: 'xoxb-wrong-000000' },
      slackApiUrl: slack.apiUrl,
    });
    const outcome = await bad.publish(delivery());
    expect(outcome.status).toBe('rejected');
    expect(JSON.stringify(outcome)).not.toContain('xoxb-wrong');
    const none = new SlackFileUploadPublisher({ tokens: {}, slackApiUrl: slack.apiUrl });
    expect(await none.publish(delivery())).toMatchObject({
      status: 'rejected',
      error: 'no Slack token for "SLACK_BOT_TOKEN"',
    });
  });
});
