/**
 * Email addresses: a local part, `@`, a domain with at least one dot and an
 * alphabetic top-level label. `icon@2x.png`-style file names are not emails.
 *
 * @example
 * ```ts
 * detectEmail("write to ana.diaz@example.org", undefined); // true
 * detectEmail("logo@2x.png", undefined); // false
 * ```
 */

const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![\w-])/g;
const FILE_EXTENSIONS = new Set([
  "png",
  "jpg",
  "jpeg",
  "gif",
  "svg",
  "webp",
  "ico",
  "bmp",
  "avif",
  "pdf",
]);

/** Whether `text` holds an email address. */
export function detectEmail(text: string, _key: string | undefined): boolean {
  if (!text.includes("@")) return false;
  for (const m of text.matchAll(EMAIL)) {
    if (!FILE_EXTENSIONS.has((m[1] as string).toLowerCase())) return true;
  }
  return false;
}
