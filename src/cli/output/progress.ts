import { printable } from '../../core/render/text-table.js';

/** Progress on one rewritten stderr line when stderr is a terminal; silent otherwise (CI, pipes). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): {
  update(message: string): void;
  done(): void;
} {
  const enabled = stream.isTTY === true;
  let shown = false;
  return {
    update(message) {
      if (!enabled) return;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\x1b[2K${printable(message).slice(0, width)}`);
      shown = true;
    },
    done() {
      if (enabled && shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
