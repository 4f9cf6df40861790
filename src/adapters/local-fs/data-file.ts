import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../core/errors.js';

export type DataFileKind = 'parquet' | 'csv' | 'csv-gzip' | 'empty';

/**
 * Looks at a data file's bytes before DuckDB does, so a missing, zero-byte, truncated or mislabelled
 * file gets a message that names it and says what was expected. `label` is how the user knows the file.
 */
export async function inspectDataFile(
  path: string,
  label: string,
): Promise<{ kind: DataFileKind; size: number }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `${label}: ${code === 'ENOENT' ? 'file does not exist' : `cannot read file (${code})`}`,
      {
        cause: error,
      },
    );
  }
  // AWS leaves zero-byte chunks behind when an export shrinks: they hold no rows.
  if (size === 0) return { kind: 'empty', size };
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(64, size));
    await handle.read(head, 0, head.length, 0);
    if (head.subarray(0, 4).toString('latin1') === 'PAR1') {
      const tail = Buffer.alloc(4);
      await handle.read(tail, 0, 4, Math.max(0, size - 4));
      if (size < 12 || tail.toString('latin1') !== 'PAR1') {
        throw new InputError(
          `${label}: truncated or corrupt Parquet file: the ${size}-byte file has no footer (expected "PAR1" at its end)`,
        );
      }
      return { kind: 'parquet', size };
    }
    if (head[0] === 0x1f && head[1] === 0x8b) {
      await checkGzip(path, label);
      return { kind: 'csv-gzip', size };
    }
    const printable = [...head].map((b) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.')).join('');
    if (/\.parquet$/i.test(label)) {
      throw new InputError(
        `${label}: not a Parquet file (no "PAR1" magic bytes); it starts with "${printable}"`,
      );
    }
    if (head.some(isBinaryControlByte)) {
      throw new InputError(`${label}: not a CUR file: expected Parquet, CSV or gzip-compressed CSV`);
    }
    return { kind: 'csv', size };
  } finally {
    await handle.close();
  }
}

/** Bytes that never occur in a text CSV (tab, newline, carriage return and form feed do). */
function isBinaryControlByte(byte: number): boolean {
  return byte < 0x09 || (byte > 0x0d && byte < 0x20);
}

/**
 * Decompresses a gzip file to its end. DuckDB reads a truncated .csv.gz up to the cut without an error (the rows
 * after it silently missing) or mis-sniffs its header; zlib names the damage.
 */
async function checkGzip(path: string, label: string): Promise<void> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  try {
    await pipeline(createReadStream(path), createGunzip(), discard);
  } catch (error) {
    throw new InputError(
      `${label}: truncated or corrupt gzip file (${(error as Error).message}): the .csv.gz is incomplete or damaged; ` +
        'download it again (or wait for AWS to finish the delivery)',
      { cause: error },
    );
  }
}

/** The first line (1-based) of a text file, gzip-compressed or not, that is not valid UTF-8; null when all are. */
export async function firstNonUtf8Line(
  path: string,
  gzip: boolean,
): Promise<{ line: number; byte: number } | null> {
  const file = createReadStream(path);
  const stream: Readable = gzip ? file.pipe(createGunzip()) : file;
  let carry = Buffer.alloc(0);
  let line = 1;
  const check = (bytes: Buffer): { line: number; byte: number } | null => {
    if (isUtf8(bytes)) return null;
    const bad = bytes.findIndex((b) => b >= 0x80);
    return { line, byte: bytes[bad] ?? 0 };
  };
  try {
    for await (const chunk of stream) {
      const data = Buffer.concat([carry, chunk as Buffer]);
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
        const found = check(data.subarray(start, nl));
        if (found) return found;
        line++;
        start = nl + 1;
      }
      carry = data.subarray(start);
    }
    return check(carry);
  } finally {
    file.destroy();
  }
}
