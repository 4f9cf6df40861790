import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportWriter } from '../../app/ports/reports.js';

/**
 * Writes report files (CSV / HTML / JSON) into a directory, each through a temporary file and a rename so a
 * reader never sees half of one; a path separator in a name cannot escape the directory.
 */
export function fileReportWriter(dir: string): ReportWriter {
  return {
    async write(file) {
      await mkdir(dir, { recursive: true });
      const path = join(dir, file.name.replace(/[/\\]/g, '_'));
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, file.content, 'utf8');
      await rename(temp, path);
      return path;
    },
  };
}
