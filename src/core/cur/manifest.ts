import { posix } from 'node:path';
import { z } from 'zod';
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

/** The `billingPeriod` of either manifest kind; only its start is read. */
const BillingPeriodSchema = z
  .object({ start: z.string().optional(), end: z.string().optional() })
  .partial()
  .optional();

const Cur2ManifestSchema = z
  .object({
    executionId: z.string().optional(),
    exportName: z.string().optional(),
    dataFiles: z.array(z.string().min(1)),
    billingPeriod: BillingPeriodSchema,
  })
  .loose();

const LegacyManifestSchema = z
  .object({
    assemblyId: z.string().optional(),
    reportName: z.string().optional(),
    bucket: z.string().optional(),
    reportKeys: z.array(z.string().min(1)),
    billingPeriod: BillingPeriodSchema,
  })
  .loose();

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
  if (raw !== null && typeof raw === 'object' && 'dataFiles' in raw) return parseCur2(raw, manifestKey);
  if (raw !== null && typeof raw === 'object' && 'reportKeys' in raw) return parseLegacy(raw, manifestKey);
  throw new InputError(
    `${manifestKey}: not a CUR manifest: expected a "dataFiles" array (CUR 2.0) or a "reportKeys" array (legacy CUR)`,
  );
}

function parseCur2(raw: object, manifestKey: string): Manifest {
  const parsed = Cur2ManifestSchema.safeParse(raw);
  if (!parsed.success) throw manifestShapeError(manifestKey, parsed.error);
  const manifest = parsed.data;
  const manifestDir = posix.dirname(manifestKey);
  const folderPeriod = /BILLING_PERIOD=(\d{4}-\d{2})/.exec(manifestKey)?.[1] ?? null;
  // <export>/metadata/BILLING_PERIOD=…/<export>-Manifest.json → the export root is two folders up.
  const exportRoot = posix.dirname(posix.dirname(manifestDir));
  const dataFiles = manifest.dataFiles.map((uri) => {
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
    exportName: manifest.exportName ?? exportNameFrom(manifestKey, /-Manifest\.json$/i),
    billingPeriod: periodFrom(manifest.billingPeriod?.start) ?? folderPeriod,
    deliveryId: manifest.executionId ?? null,
    dataFiles,
  };
}

function parseLegacy(raw: object, manifestKey: string): Manifest {
  const parsed = LegacyManifestSchema.safeParse(raw);
  if (!parsed.success) throw manifestShapeError(manifestKey, parsed.error);
  const manifest = parsed.data;
  const manifestDir = posix.dirname(manifestKey);
  const periodFolder = posix.basename(manifestDir);
  const dataFiles = manifest.reportKeys.map((uri) => {
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
    exportName: manifest.reportName ?? exportNameFrom(manifestKey, /-Manifest\.json$/i),
    billingPeriod: periodFrom(manifest.billingPeriod?.start) ?? periodFromRangeFolder(periodFolder),
    deliveryId: manifest.assemblyId ?? null,
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

function manifestShapeError(manifestKey: string, error: z.ZodError): InputError {
  const issue = error.issues[0];
  const where = issue ? issue.path.join('.') : '';
  return new InputError(
    `${manifestKey}: malformed manifest: ${where ? `${where}: ` : ''}${issue?.message ?? ''}`,
  );
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
