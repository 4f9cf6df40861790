import { join } from 'node:path';
import type { EarlyWarningStore } from '../../app/ports/early-warning.js';
import { type EarlyWarningState, EMPTY_EARLY_WARNING_STATE } from '../../core/early-warning/reconcile.js';
import { type FileLockOptions, readJsonState, withFileLock, writeJsonState } from './notification-log.js';

/** Where the early warning's state lives under a local state root. */
export function earlyWarningStorePath(root: string): string {
  return join(root, 'state', 'early-warning.json');
}

/** Hourly estimates, early pages and confirmations in one JSON file, under the notification log's lock discipline. */
export class LocalEarlyWarningStore implements EarlyWarningStore {
  constructor(private readonly options: FileLockOptions & { path: string }) {}

  read(): Promise<EarlyWarningState> {
    return readJsonState<EarlyWarningState>(this.options.path, structuredClone(EMPTY_EARLY_WARNING_STATE));
  }

  update(change: (state: EarlyWarningState) => EarlyWarningState): Promise<EarlyWarningState> {
    return withFileLock(
      `${this.options.path}.lock`,
      async () => {
        const next = change(await this.read());
        await writeJsonState(this.options.path, next);
        return next;
      },
      this.options,
    );
  }
}
