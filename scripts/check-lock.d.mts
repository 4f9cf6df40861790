/** Types for scripts/check-lock.mjs (a plain script: it runs before anything is built). */
export interface Lockfile {
  lockfileVersion: number;
  packages?: Record<string, Record<string, unknown>>;
}
export function lockProblems(lock: Lockfile): string[];
