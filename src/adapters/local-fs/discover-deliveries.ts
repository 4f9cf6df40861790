import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { DataFileRef, Delivery } from '../../app/ports/ingest.js';
import { parseManifest } from '../../core/cur/manifest.js';
import { InputError } from '../../core/errors.js';

const DATA_FILE = /\.(parquet|csv|csv\.gz|gz)$/i;
const MANIFEST = /-Manifest\.json$/i;
const CUR2_PERIOD_DIR = /^BILLING_PERIOD=\d{4}-\d{2}$/;
const LEGACY_PERIOD_DIR = /^\d{8}-\d{8}$/;
const MAX_DEPTH = 6;

/**
 * Turns what the user named — an export root laid out as AWS writes it, a manifest, one data file or a
 * folder of data files — into deliveries. An export root yields one delivery per billing-period manifest.
 */
export async function discoverLocalDeliveries(input: string): Promise<Delivery[]> {
  const path = resolve(input);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(
      `${input}: ${error.code === 'ENOENT' ? 'no such file or directory' : error.message}`,
    );
  });
  if (info.isFile()) {
    return MANIFEST.test(path) ? [await manifestDelivery(path)] : [await filesDelivery(path, [path])];
  }
  const manifests = await findPeriodManifests(path, 0);
  if (manifests.length > 0) return Promise.all(manifests.sort().map(manifestDelivery));
  const dataFiles = (await findFiles(path, 0, (name) => DATA_FILE.test(name))).sort();
  if (dataFiles.length === 0) {
    throw new InputError(
      `${input}: no CUR manifest (…-Manifest.json under metadata/BILLING_PERIOD=… or <yyyymmdd-yyyymmdd>/) and no data files (.parquet, .csv, .csv.gz) found`,
    );
  }
  return [await filesDelivery(path, dataFiles)];
}

/** Manifests AWS writes per billing period: CUR 2.0 `metadata/BILLING_PERIOD=…/` and legacy `<yyyymmdd-yyyymmdd>/`. */
async function findPeriodManifests(dir: string, depth: number): Promise<string[]> {
  const all = await findFiles(dir, depth, (name) => MANIFEST.test(name));
  return all.filter((file) => {
    const parent = basename(dirname(file));
    return (
      (CUR2_PERIOD_DIR.test(parent) && basename(dirname(dirname(file))) === 'metadata') ||
      LEGACY_PERIOD_DIR.test(parent)
    );
  });
}

async function findFiles(dir: string, depth: number, wanted: (name: string) => boolean): Promise<string[]> {
  if (depth > MAX_DEPTH) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await findFiles(full, depth + 1, wanted)));
    else if (entry.isFile() && wanted(entry.name)) found.push(full);
  }
  return found;
}

async function manifestDelivery(manifestPath: string): Promise<Delivery> {
  const text = await readFile(manifestPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${manifestPath}: cannot read manifest (${error.code})`);
  });
  const manifest = parseManifest(text, manifestPath.split(sep).join('/'));
  const files: DataFileRef[] = [];
  const versions: string[] = [await fileVersion(manifestPath)];
  for (const dataFile of manifest.dataFiles) {
    const path = dataFile.key.split('/').join(sep);
    versions.push(
      await fileVersion(path).catch(() => {
        throw new InputError(
          `${manifestPath}: lists data file ${dataFile.uri}, which does not exist (looked for ${path})`,
        );
      }),
    );
    files.push({ path, label: path });
  }
  return {
    exportName: manifest.exportName,
    objectKey: manifestPath,
    version: versions.join(';'),
    billingPeriod: manifest.billingPeriod,
    files,
  };
}

async function filesDelivery(root: string, paths: readonly string[]): Promise<Delivery> {
  const versions = await Promise.all(paths.map((p) => fileVersion(p)));
  const isFolder = paths.length !== 1 || paths[0] !== root;
  const exportName = (
    isFolder ? basename(root) : basename(root).replace(/(\.snappy)?\.(parquet|csv\.gz|csv|gz)$/i, '')
  )
    .replace(/-\d{5}$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    exportName,
    objectKey: root,
    version: paths.map((p, i) => `${relative(root, p) || basename(p)}:${versions[i]}`).join(';'),
    billingPeriod: null,
    files: paths.map((path) => ({ path, label: path })),
  };
}

/** size + mtime: what the local ledger compares, as S3 compares ETags. */
async function fileVersion(path: string): Promise<string> {
  const info = await stat(path);
  return `${info.size}-${Math.trunc(info.mtimeMs)}`;
}
