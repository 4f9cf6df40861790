/** What a secret is replaced with in every log line and error message. */
export const REDACTED = '[REDACTED]';

// Credentials that can reach a log even when the caller did not pass them: Slack bot/user/app tokens,
// incoming-webhook URLs (the path is the secret), and HTTP Authorization values.
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bxox[a-z]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /https:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>)]+/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g,
];

/**
 * Removes secrets from text: each known secret value (and its URL-encoded form) and anything shaped
 * like a Slack token, webhook URL or Authorization value.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; a real token is never this short.
    if (!secret || secret.length < 6) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, scheme: unknown) =>
      typeof scheme === 'string' && /^(Bearer|Basic)$/.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** One line describing an error and its causes, redacted: safe for logs, reports and rethrown messages. */
export function describeRedacted(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(`${current.name}: ${current.message}${typeof code === 'string' ? ` (${code})` : ''}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return redact(parts.join(' <- '), secrets);
}
