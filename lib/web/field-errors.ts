/**
 * Zod schemas of the forms carry message KEYS, not text, so they stay static and testable
 * without a locale; the action translates what `z.flattenError` returns before sending it to
 * the form. A message that is not a key of the namespace (a zod default, which a schema should
 * never let through) becomes the namespace's generic `invalid` message, never raw English.
 */
export function translateFieldErrors<Field extends string, Key extends string>(
  fieldErrors: Partial<Record<Field, string[]>>,
  keys: Readonly<Record<Key, unknown>>,
  t: (key: Key | "invalid") => string,
): Partial<Record<Field, string[]>> {
  const out: Partial<Record<Field, string[]>> = {};
  for (const [field, messages] of Object.entries(fieldErrors) as [Field, string[] | undefined][]) {
    if (!messages?.length) continue;
    out[field] = [...new Set(messages.map((m) => (Object.hasOwn(keys, m) ? t(m as Key) : t("invalid"))))];
  }
  return out;
}
