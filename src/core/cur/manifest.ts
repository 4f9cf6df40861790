import { posix } from 'node:path';
import { InputError } from '../errors.js';

/** What a delivery's manifest says: which data files make up the snapshot, for which period. */
export interface Manifest {
  kind: 'cur2' | 'legacy';
  exportName: string;
  /** YYYY-MM, from the manifest's billingPeriod or its BILLING_PERIOD= folder. */
  billingPeriod: string | null;
  /** Execution / assembly id: changes on every refresh of the period. */
  deliveryId: string | null;
  /** Data files, each as the manifest names it and as a key relative to the manifest's own key. */
  dataFiles: readonly { uri: string; key: string }[];
}

/**
 * A manifest's fields, each checked for what it must be as it is read (fields not read pass). By hand rather than
 * with a zod schema: this module is the only one `ingest` loads that would need zod, whose import is ~30 ms of every
 * run's start-up.
 */
function manifestFields(raw: Record<string, unknown>, manifestKey: string) {
  const fail = (where: string, expected: string, value: unknown) =>
    new InputError(
      `${manifestKey}: malformed manifest: ${where}: expected ${expected}, received ${received(value)}`,
    );
  const text = (value: unknown, where: string): string | undefined => {
    if (value !== undefined && typeof value !== 'string') throw fail(where, 'a string', value);
    return value;
  };
  return {
    /** An optional string field. */
    text: (name: string) => text(raw[name], name),
    /** The list of data files: required, each a non-empty string. */
    files(name: string): string[] {
      const value = raw[name];
      if (!Array.isArray(value)) throw fail(name, 'an array of file names', value);
      value.forEach((item, index) => {
        if (typeof item !== 'string' || item === '')
          throw fail(`${name}.${index}`, 'a non-empty string', item);
      });
      return value;
    },
    /** The optional `billingPeriod`'s start (its end is checked, not read). */
    periodStart(): string | undefined {
      const value = raw.billingPeriod;
      if (value === undefined) return undefined;
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw fail('billingPeriod', 'an object with start and end', value);
      const period = value as Record<string, unknown>;
      const start = text(period.start, 'billingPeriod.start');
      text(period.end, 'billingPeriod.end');
      return start;
    },
  };
}

function received(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 80))}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/**
 * Parses a CUR 2.0 (`dataFiles`) or legacy (`reportKeys`) manifest. `manifestKey` is the manifest's
 * own key or path (forward slashes), used to resolve data files in the same layout AWS writes them.
 */
export function parseManifest(text: string, manifestKey: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${manifestKey}: manifest is not valid JSON (${(error as Error).message})`);
  }
  if (raw !== null && typeof raw === 'object') {
    const fields = raw as Record<string, unknown>;
    if ('dataFiles' in fields) return parseCur2(fields, manifestKey);
    if ('reportKeys' in fields) return parseLegacy(fields, manifestKey);
  }
  throw new InputError(
    `${manifestKey}: not a CUR manifest: expected a "dataFiles" array (CUR 2.0) or a "reportKeys" array (legacy CUR)`,
  );
}

function parseCur2(raw: Record<string, unknown>, manifestKey: string): Manifest {
  const field = manifestFields(raw, manifestKey);
  const executionId = field.text('executionId');
  const exportName = field.text('exportName');
  const files = field.files('dataFiles');
  const periodStart = field.periodStart();
  const manifestDir = posix.dirname(manifestKey);
  const folderPeriod = /BILLING_PERIOD=(\d{4}-\d{2})/.exec(manifestKey)?.[1] ?? null;
  // <export>/metadata/BILLING_PERIOD=…/<export>-Manifest.json → the export root is two folders up.
  const exportRoot = posix.dirname(posix.dirname(manifestDir));
  const dataFiles = files.map((uri) => {
    rejectDotSegments(manifestKey, uri);
    const at = uri.lastIndexOf('/data/');
    if (at < 0) {
      throw new InputError(`${manifestKey}: data file "${uri}" is not under the export's data/ folder`);
    }
    return { uri, key: posix.join(exportRoot, uri.slice(at + 1)) };
  });
  rejectDuplicates(manifestKey, dataFiles);
  return {
    kind: 'cur2',
    exportName: exportName ?? exportNameFrom(manifestKey, /-Manifest\.json$/i),
    billingPeriod: periodFrom(periodStart) ?? folderPeriod,
    deliveryId: executionId ?? null,
    dataFiles,
  };
}

function parseLegacy(raw: Record<string, unknown>, manifestKey: string): Manifest {
  const field = manifestFields(raw, manifestKey);
  const assemblyId = field.text('assemblyId');
  const reportName = field.text('reportName');
  field.text('bucket');
  const files = field.files('reportKeys');
  const periodStart = field.periodStart();
  const manifestDir = posix.dirname(manifestKey);
  const periodFolder = posix.basename(manifestDir);
  const dataFiles = files.map((uri) => {
    rejectDotSegments(manifestKey, uri);
    // reportKeys are bucket keys: <prefix>/<report>/<yyyymmdd-yyyymmdd>/[<assembly>/]<file>
    const marker = `/${periodFolder}/`;
    const at = `/${uri}`.lastIndexOf(marker);
    if (at < 0) {
      throw new InputError(
        `${manifestKey}: report key "${uri}" is not under the manifest's period folder "${periodFolder}"`,
      );
    }
    return { uri, key: posix.join(manifestDir, `/${uri}`.slice(at + marker.length)) };
  });
  rejectDuplicates(manifestKey, dataFiles);
  return {
    kind: 'legacy',
    exportName: reportName ?? exportNameFrom(manifestKey, /-Manifest\.json$/i),
    billingPeriod: periodFrom(periodStart) ?? periodFromRangeFolder(periodFolder),
    deliveryId: assemblyId ?? null,
    dataFiles,
  };
}

/** A listed file must stay inside its export: `data/../../other/x.parquet` would resolve elsewhere. */
function rejectDotSegments(manifestKey: string, uri: string): void {
  if (
    uri.split('/').some((segment) => segment === '.' || segment === '..' || /^(%2e){1,2}$/i.test(segment))
  ) {
    throw new InputError(
      `${manifestKey}: data file "${uri}" has a "." or ".." path segment; a manifest may only list files inside its export`,
    );
  }
}

/** A file listed twice would be read twice and its spend counted twice, and still reconcile. */
function rejectDuplicates(manifestKey: string, dataFiles: readonly { uri: string; key: string }[]): void {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const file of dataFiles) {
    if (seen.has(file.key)) twice.add(file.uri);
    seen.add(file.key);
  }
  if (twice.size > 0) {
    throw new InputError(
      `${manifestKey}: lists data file ${[...twice].join(', ')} more than once; reading it twice would count its spend twice, nothing was ingested`,
    );
  }
}

function exportNameFrom(manifestKey: string, suffix: RegExp): string {
  return posix.basename(manifestKey).replace(suffix, '');
}

/** "2026-06-01T00:00:00.000Z", "20260601T000000.000Z" or "2026-06-01" → "2026-06". */
function periodFrom(start: string | undefined): string | null {
  if (!start) return null;
  const match = /^(\d{4})-?(\d{2})/.exec(start);
  return match ? `${match[1]}-${match[2]}` : null;
}

function periodFromRangeFolder(folder: string): string | null {
  const match = /^(\d{4})(\d{2})\d{2}-\d{8}$/.exec(folder);
  return match ? `${match[1]}-${match[2]}` : null;
}

/** True for keys AWS uses for manifests: CUR 2.0 `metadata/BILLING_PERIOD=…/<export>-Manifest.json`, legacy `<report>-Manifest.json`. */
export function isManifestKey(key: string): boolean {
  return /-Manifest\.json$/i.test(key);
}
