/**
 * A spool file's header line, `#spool_opened <ms>\t<MAC>`: when the file was
 * opened (a rewritten file: the earliest of the files whose records it
 * holds), which bounds how far back a recovering session reads the log. It
 * is no JSON, so that an earlier release, which drops such lines, never
 * records it as an event. Its MAC (see `spool_mac.ts`) binds the time to the
 * file's name and starts the chain of the file's lines: a header changed,
 * removed or moved to another file refuses the file. This module reads and
 * writes its text, before the tab. Pure.
 *
 * @example
 * ```ts
 * spoolHeader(1767225600000);                  // "#spool_opened 1767225600000"
 * headerTime("#spool_opened 1767225600000");   // 1767225600000
 * ```
 */

/** The word a spool file's header line starts with, after a `#`. */
export const SPOOL_OPENED = "spool_opened";

/** How a header line starts. */
const HEADER_PREFIX = `#${SPOOL_OPENED} `;

/** A spool file's header text (what its MAC follows, after a tab). */
export function spoolHeader(at: number): string {
  return `${HEADER_PREFIX}${at}`;
}

/** The time a header's text holds, or undefined for any other text. */
export function headerTime(text: string): number | undefined {
  if (!text.startsWith(HEADER_PREFIX)) return undefined;
  const digits = text.slice(HEADER_PREFIX.length);
  // Only what `spoolHeader` writes: the MAC is over these bytes as they are.
  if (!/^\d{1,16}$/.test(digits)) return undefined;
  return Number(digits);
}
