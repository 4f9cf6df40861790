import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  interactionStatePaths,
  LocalConditionAckStore,
} from '../../src/adapters/local-fs/interaction-stores.js';
import { localNotifyDeps } from '../../src/cli/alerting/notify-wiring.js';
import { ConfigSchema } from '../../src/config/schema.js';

describe('local notification wiring', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the acknowledgements `serve` records beside the facts, so detect stops repeating them', async () => {
    // Prepare: what the Slack Acknowledge button writes through `bedrock-cost serve`.
    dir = await mkdtemp(join(tmpdir(), 'bc-wiring-'));
    const ack = {
      conditionKey: 'cond-0123456789abcdef01234567',
      acknowledgedBy: 'U0ALICE01',
      acknowledgedAtMs: 1_781_000_000_000,
    };
    await new LocalConditionAckStore({ path: interactionStatePaths(dir).acks }).put(ack);

    // Act
    const deps = localNotifyDeps(dir, ConfigSchema.parse({}), {});

    // Assert
    expect(deps.acks).toBeDefined();
    expect(await deps.acks!.list()).toEqual([ack]);
  });
});
