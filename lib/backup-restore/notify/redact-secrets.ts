/**
 * Text that leaves the notifier (a log line, a returned error, an alert's details) passes
 * through here first. A driver's message may quote the URL it was given, and a failed
 * backup's details may quote a database URL; neither may carry a password out.
 */

const REDACTED = "[redacted]";

// scheme://user:password@ → scheme://user:[redacted]@, for any URL-shaped credential.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):[^\s/?#@]*@/gi;

/** Every known secret (and its percent-encoded form) replaced, then any URL's password. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const known = [...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s)]))]
    .filter((s) => s !== "")
    // Longest first, so a URL goes as a whole before the password inside it.
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of known) out = out.split(secret).join(REDACTED);
  return out.replace(URL_CREDENTIALS, `$1:${REDACTED}@`);
}
