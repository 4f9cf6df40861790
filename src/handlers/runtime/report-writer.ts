import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportWriter } from '../../app/weekly-digest.js';

/**
 * Report files (CSV / HTML / JSON) in the function's scratch space. They are sent as attachments and not
 * kept: the scheduled functions may only read the fact store, and a re-run renders them again.
 */
export function scratchReportWriter(dir: string): ReportWriter {
  return {
    async write(file) {
      await mkdir(dir, { recursive: true });
      const path = join(dir, file.name.replace(/[/\\]/g, '_'));
      await writeFile(path, file.content, 'utf8');
      return path;
    },
  };
}
