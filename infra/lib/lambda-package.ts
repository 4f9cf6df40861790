import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The three Lambda entry points; each is `dist/handlers/<name>.js` exporting `handler`. */
export const HANDLERS = ['cur-delivery', 'weekly-digest', 'quarterly-review'] as const;
export type HandlerName = (typeof HANDLERS)[number];

/** Lambda's `handler` setting for an entry point, relative to the package root. */
export function handlerSetting(name: HandlerName): string {
  return `dist/handlers/${name}.handler`;
}

/** Handler files missing from a package directory (relative paths); throws when the directory is absent. */
export function missingHandlers(packageDir: string): string[] {
  if (!existsSync(packageDir) || !statSync(packageDir).isDirectory()) {
    throw new Error(
      `Lambda package directory ${packageDir} does not exist: run scripts/package-lambda.sh, ` +
        'or pass -c lambdaPackageDir=<dir> (see infra/lambda-package/README.md)',
    );
  }
  return HANDLERS.map((name) => `dist/handlers/${name}.js`).filter(
    (file) => !existsSync(join(packageDir, file)),
  );
}
