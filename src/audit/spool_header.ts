/**
 * A spool file's header line, `#spool_opened <ms>`: when the file was opened
 * (a rewritten file: the earliest of the files whose records it holds), which
 * bounds how far back a recovering session reads the log. It is no JSON, so
 * that an earlier release, which drops such lines, never records it as an
 * event; a file of an earlier release has none. It carries no MAC: it says
 * only how far back to look for records the log holds already. Pure.
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

/** A spool file's header line, without its newline. */
export function spoolHeader(at: number): string {
  return `${HEADER_PREFIX}${at}`;
}

/** The time a header line holds, or undefined for any other line. */
export function headerTime(line: string): number | undefined {
  if (!line.startsWith(HEADER_PREFIX)) return undefined;
  const at = Number(line.slice(HEADER_PREFIX.length).trim());
  return Number.isFinite(at) ? at : undefined;
}
