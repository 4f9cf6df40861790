import { join } from 'node:path';
import type { SilenceStore } from '../../app/ports/alerting.js';
import type { Silence } from '../../core/alerting/silences.js';
import { type FileLockOptions, readJsonState, withFileLock, writeJsonState } from './notification-log.js';

interface SilenceFile {
  version: 1;
  silences: Silence[];
}

/** Where run-time silences live under a local state root. */
export function silenceStorePath(root: string): string {
  return join(root, 'state', 'silences.json');
}

/** Run-time silences in one JSON file, written under the same lock discipline as the notification log. */
export class LocalSilenceStore implements SilenceStore {
  constructor(private readonly options: FileLockOptions & { path: string }) {}

  async list(): Promise<Silence[]> {
    return (await readJsonState<SilenceFile>(this.options.path, { version: 1, silences: [] })).silences;
  }

  async put(silence: Silence): Promise<void> {
    await this.update((file) => {
      file.silences = [...file.silences.filter((s) => s.id !== silence.id), silence];
      return true;
    });
  }

  async expire(id: string, atMs: number): Promise<boolean> {
    return this.update((file) => {
      const silence = file.silences.find((s) => s.id === id);
      if (!silence) return false;
      silence.endsAtMs = Math.max(silence.startsAtMs, Math.min(silence.endsAtMs, atMs));
      return true;
    });
  }

  private update(mutate: (file: SilenceFile) => boolean): Promise<boolean> {
    return withFileLock(
      `${this.options.path}.lock`,
      async () => {
        const file = await readJsonState<SilenceFile>(this.options.path, { version: 1, silences: [] });
        const changed = mutate(file);
        if (changed) {
          await writeJsonState(this.options.path, file);
        }
        return changed;
      },
      this.options,
    );
  }
}
