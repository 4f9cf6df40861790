import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NotificationDelivery, Notifier, SendOutcome } from '../../app/ports/alerting.js';
import { sha256Hex } from '../../core/keys.js';
import { writeJsonFileAtomic } from '../local-fs/json-file.js';

export const DEFAULT_NOTIFICATION_DIR = 'out/notifications';

/**
 * Writes each message to `<dir>/<receiver>/<group>.json` (Slack blocks and the SNS event body) and
 * `.txt`, and appends one line per send to `<dir>/sent.jsonl`, so "sent exactly once" can be counted.
 */
export class ConsoleNotifier implements Notifier<'console'> {
  constructor(
    private readonly options: {
      defaultDir?: string | undefined;
      echo?: ((text: string) => void) | undefined;
    } = {},
  ) {}

  async send(delivery: Extract<NotificationDelivery, { kind: 'console' }>): Promise<SendOutcome> {
    const dir = delivery.dir ?? this.options.defaultDir ?? DEFAULT_NOTIFICATION_DIR;
    const receiverDir = join(dir, safeName(delivery.receiver));
    const base = join(receiverDir, sha256Hex(delivery.groupKey).slice(0, 16));
    try {
      await mkdir(receiverDir, { recursive: true });
      await writeJsonFileAtomic(`${base}.json`, {
        receiver: delivery.receiver,
        group_key: delivery.groupKey,
        ...(delivery.document as object),
      });
      await writeFile(`${base}.txt`, delivery.text);
      await appendFile(
        join(dir, 'sent.jsonl'),
        `${JSON.stringify({ receiver: delivery.receiver, group_key: delivery.groupKey, file: `${base}.json` })}\n`,
      );
    } catch (error) {
      return { status: 'retryable', error: `cannot write ${base}.json: ${(error as Error).message}` };
    }
    this.options.echo?.(delivery.text);
    return { status: 'delivered', messageId: `${base}.json` };
  }
}

/** Receiver ids contain "/" (`oncall/console`); a path segment must not. */
function safeName(receiver: string): string {
  return receiver.replace(/[^A-Za-z0-9_.-]/g, '_');
}
