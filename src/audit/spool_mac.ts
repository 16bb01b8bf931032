/**
 * The MAC on every line of a spool file: whoever can write the audit folder
 * but not `keys/` cannot make a line a recovering session takes in. A line is
 * `<event JSON>\t<hex HMAC-SHA256>` (`JSON.stringify` never writes a tab: it
 * escapes one as `\t`). The MAC is taken over the event's JSON bytes, under a
 * key of the session that wrote the file: HMAC(spool key, session id), where
 * the spool key is HMAC(device audit key, "thoth spool mac v1"). So a line
 * holds only in a file named for the session that wrote it, and the device
 * key's other uses never meet this one: argument and result digests are over
 * canonical JSON, which the label is not, and raw response digests over lines
 * of more than 256 KiB. One HMAC per line, over bytes the writer already has.
 * Pure.
 *
 * @example
 * ```ts
 * const mac = new SpoolMac(keys.hmacRaw).forSession("s-1a2b");
 * const line = mac.line(JSON.stringify(decisionEvent)); // written with a newline after it
 * const signed = splitSignedLine(bytesOfThatLine);
 * signed !== undefined && mac.verifies(signed.content, signed.mac); // true
 * ```
 */
import { toHex } from "./encoding.ts";
import { hmacSha256, HmacSha256Key } from "./sha256.ts";

const encoder = new TextEncoder();

/** What the device's audit key is bound to, for this use only. */
const LABEL = "thoth spool mac v1";

/** How many hex digits a line's MAC has. */
export const SPOOL_MAC_HEX = 64;

/** What separates a line's event JSON from its MAC. */
const TAB = 0x09;

/** The spool MAC key of a device: one per session from it (see {@linkcode SpoolMac.forSession}). */
export class SpoolMac {
  readonly #key: HmacSha256Key;

  /** `auditKey`: the device's audit HMAC key, raw (`DeviceKeys.hmacRaw`). */
  constructor(auditKey: Uint8Array) {
    this.#key = new HmacSha256Key(hmacSha256(auditKey, encoder.encode(LABEL)));
  }

  /** The key the lines of `session`'s spool files are signed with. */
  forSession(session: string): SessionSpoolMac {
    return new SessionSpoolMac(session, this.#key.mac(encoder.encode(session)));
  }
}

/** The line MAC of one session's spool files. */
export class SessionSpoolMac {
  readonly session: string;
  readonly #key: HmacSha256Key;
  readonly #out = new Uint8Array(32);

  constructor(session: string, key: Uint8Array) {
    this.session = session;
    this.#key = new HmacSha256Key(key);
  }

  /** The MAC (hex) of a line whose event JSON is `content` (UTF-8). */
  hex(content: Uint8Array): string {
    return toHex(this.#key.mac(content, this.#out));
  }

  /** The line for the event JSON `body`, without its newline. */
  line(body: string): string {
    return `${body}\t${this.hex(encoder.encode(body))}`;
  }

  /** Whether `mac` (hex, as read) is the MAC of `content`; compared in constant time. */
  verifies(content: Uint8Array, mac: Uint8Array): boolean {
    if (mac.length !== SPOOL_MAC_HEX) return false;
    const expected = this.#key.mac(content, this.#out);
    let diff = 0;
    for (let i = 0; i < 32; i++) {
      const high = hexValue(mac[i * 2]!);
      const low = hexValue(mac[i * 2 + 1]!);
      // A character that is no lowercase hex digit (0x100) leaves a bit no byte has.
      diff |= ((high << 4) | low) ^ expected[i]!;
    }
    return diff === 0;
  }
}

/**
 * A line's event JSON and MAC (the bytes of `line`, without its newline), or
 * undefined when it does not end in a tab and {@linkcode SPOOL_MAC_HEX}
 * characters (a line of an earlier release, or no spool line at all).
 */
export function splitSignedLine(
  line: Uint8Array,
): { content: Uint8Array; mac: Uint8Array } | undefined {
  const tab = line.length - SPOOL_MAC_HEX - 1;
  if (tab < 1 || line[tab] !== TAB) return undefined;
  return { content: line.subarray(0, tab), mac: line.subarray(tab + 1) };
}

/** The value of a lowercase hex digit, or 0x100 for any other byte. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return 0x100;
}
