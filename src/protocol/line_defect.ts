/**
 * Lines that parse as JSON here but that a peer may read differently, so
 * they must not be relayed as they are:
 *
 * - A carriage return inside the line. JSON allows it as whitespace, but
 *   line readers that also break at a lone CR (Python's universal newlines,
 *   Node's `readline`, Java's `readLine`) see two messages where thoth saw
 *   one; a tool call hidden that way would never meet the enforcer. A raw CR
 *   cannot occur inside a JSON string, so no valid message loses anything.
 *   Only the CR of a final CRLF (or of a last line without LF) is allowed.
 * - A UTF-8 byte order mark at its start: thoth's decoder would skip it,
 *   while strict JSON parsers reject the whole line, and the client waits.
 *
 * Pure; a line is its bytes with their terminator, in one or more parts.
 *
 * @example
 * ```ts
 * lineDefect([new TextEncoder().encode('{"a":1}\r{"b":2}\n')]); // "a carriage return inside it"
 * ```
 */

const CR = 0x0d;
const LF = 0x0a;

/**
 * What is wrong with the line, in words for a stderr note; undefined if
 * nothing. `bom: false` skips the byte-order-mark check (server lines are
 * relayed with theirs, as before: dropping a server's answer over it would
 * break a session that lenient clients handle).
 */
export function lineDefect(
  parts: readonly Uint8Array[],
  check: { bom: boolean } = { bom: true },
): string | undefined {
  if (check.bom && startsWithBom(parts)) return "a byte order mark at its start";
  let length = 0;
  for (const part of parts) length += part.length;
  const lastByte = length === 0 ? -1 : byteAt(parts, length - 1);
  // Where a CR may stand: just before the final LF, or last of an unterminated line.
  const allowed = lastByte === LF ? length - 2 : length - 1;
  let offset = 0;
  for (const part of parts) {
    let at = part.indexOf(CR);
    while (at !== -1) {
      if (offset + at !== allowed) return "a carriage return inside it";
      at = part.indexOf(CR, at + 1);
    }
    offset += part.length;
  }
  return undefined;
}

function startsWithBom(parts: readonly Uint8Array[]): boolean {
  let seen = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length && seen < 3; i++, seen++) {
      if (part[i] !== BOM[seen]) return false;
    }
    if (seen === 3) return true;
  }
  return false;
}

const BOM = [0xef, 0xbb, 0xbf] as const;

function byteAt(parts: readonly Uint8Array[], index: number): number {
  let offset = 0;
  for (const part of parts) {
    if (index < offset + part.length) return part[index - offset]!;
    offset += part.length;
  }
  return -1;
}
