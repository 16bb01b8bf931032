/**
 * Writes one note for the person at the machine to stderr, as the relay
 * writes its own: `thoth: MESSAGE` and a newline, whole, at once. The default
 * for library code that must say something while it waits and was given no
 * way to say it (stdout belongs to the MCP protocol).
 *
 * @example
 * ```ts
 * stderrNote('warning: waiting for the lock "/home/ana/.thoth/audit/.lock"');
 * ```
 */

/** Writes `thoth: ${message}` and a newline to stderr; a failed write is dropped. */
export function stderrNote(message: string): void {
  const bytes = new TextEncoder().encode(`thoth: ${message}\n`);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += Deno.stderr.writeSync(bytes.subarray(offset));
  } catch {
    // Nowhere to say it: the wait goes on, and its end is reported as usual.
  }
}
