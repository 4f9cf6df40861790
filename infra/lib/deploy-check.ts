import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HANDLERS,
  type LambdaArchitecture,
  OPTIONAL_HANDLERS,
  packageArchitecture,
  packageFiles,
} from './lambda-package.js';

/** The runtime the stack deploys the handlers on (infra/lib/bedrock-cost-stack.ts). */
export const LAMBDA_RUNTIME = 'nodejs22.x';

interface TemplateFunction {
  Type: string;
  Properties?: {
    Handler?: string;
    Runtime?: string;
    Architectures?: string[];
    Code?: { S3Key?: unknown };
  };
}

interface AssetManifest {
  files?: Record<string, { source?: { path?: string; packaging?: string } }>;
}

export interface DeployCheck {
  /** The service's functions found in the template, by logical id. */
  functions: string[];
  /** The staged asset directory (inside the cloud assembly) the functions' code comes from. */
  assetDir?: string | undefined;
  problems: string[];
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Checks a synthesized cloud assembly against the package that was meant to be deployed: every handler
 * function's code is the one file asset staged from that package (same files, byte for byte), the handler
 * files exist in it, and the functions' architecture and runtime are what the package's DuckDB binding and
 * the build target. `problems` is empty when `cdk deploy` would ship exactly this package.
 */
export function checkSynthesized(
  cdkOut: string,
  stackName: string,
  packageDir: string,
  architecture: LambdaArchitecture,
): DeployCheck {
  const problems: string[] = [];
  const templateFile = join(cdkOut, `${stackName}.template.json`);
  const assetsFile = join(cdkOut, `${stackName}.assets.json`);
  for (const file of [templateFile, assetsFile]) {
    if (!existsSync(file)) return { functions: [], problems: [`no ${file}: did cdk synth run?`] };
  }
  const template = JSON.parse(readFileSync(templateFile, 'utf8')) as {
    Resources?: Record<string, TemplateFunction>;
  };
  const assets = JSON.parse(readFileSync(assetsFile, 'utf8')) as AssetManifest;

  const functions = Object.entries(template.Resources ?? {}).filter(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Function' && String(r.Properties?.Handler ?? '').startsWith('dist/handlers/'),
  );
  const handlers = new Set(functions.map(([, r]) => r.Properties?.Handler));
  for (const name of HANDLERS) {
    if (OPTIONAL_HANDLERS.includes(name)) continue;
    if (!handlers.has(`dist/handlers/${name}.handler`))
      problems.push(`no function with handler dist/handlers/${name}.handler`);
  }

  const keys = new Set<string>();
  for (const [id, fn] of functions) {
    const p = fn.Properties ?? {};
    if (JSON.stringify(p.Architectures) !== JSON.stringify([architecture])) {
      problems.push(`${id}: Architectures ${JSON.stringify(p.Architectures)}, expected ["${architecture}"]`);
    }
    if (p.Runtime !== LAMBDA_RUNTIME)
      problems.push(`${id}: Runtime ${p.Runtime}, expected ${LAMBDA_RUNTIME}`);
    const key = p.Code?.S3Key;
    if (typeof key !== 'string' || !key.endsWith('.zip'))
      problems.push(`${id}: Code.S3Key is not a file asset's zip`);
    else keys.add(key);
  }
  if (keys.size !== 1) {
    problems.push(
      `the functions use ${keys.size} code assets (${[...keys].join(', ')}), expected the one package`,
    );
    return { functions: functions.map(([id]) => id), problems };
  }

  const hash = [...keys][0]!.replace(/\.zip$/, '');
  const source = assets.files?.[hash]?.source;
  if (!source?.path || source.packaging !== 'zip') {
    problems.push(`asset ${hash} is not a zipped directory in ${assetsFile}`);
    return { functions: functions.map(([id]) => id), problems };
  }
  const assetDir = join(cdkOut, source.path);
  const staged = packageFiles(assetDir, []);
  const packaged = packageFiles(packageDir);
  for (const [file, size] of packaged) {
    const other = staged.get(file);
    if (other === undefined) problems.push(`asset lacks ${file} of the package`);
    else if (other !== size || sha256(join(assetDir, file)) !== sha256(join(packageDir, file))) {
      problems.push(`asset's ${file} differs from the package's`);
    }
  }
  for (const file of staged.keys())
    if (!packaged.has(file)) problems.push(`asset has ${file}, which the package has not`);
  for (const name of HANDLERS) {
    if (!staged.has(`dist/handlers/${name}.js`)) problems.push(`asset lacks dist/handlers/${name}.js`);
  }
  try {
    const built = packageArchitecture(assetDir);
    if (built.architecture !== architecture) {
      problems.push(
        `asset's ${built.binary} is built for ${built.architecture}, the functions are ${architecture}`,
      );
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  return { functions: functions.map(([id]) => id), assetDir, problems: problems.slice(0, 50) };
}
