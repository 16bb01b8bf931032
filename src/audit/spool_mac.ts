/**
 * The MACs of a spool file, chained: whoever can write the audit folder but
 * not `keys/` can neither make a line a recovering session takes in, nor
 * take a line out of the middle of a file, reorder its lines, or move lines
 * or a header from one file to another, unseen.
 *
 * The key is the session's that wrote the file: HMAC(spool key, session id),
 * where the spool key is HMAC(device audit key, "thoth spool mac v1"). The
 * header, `#spool_opened <ms>\t<hex MAC>`, is MAC'd over its text and the
 * file's name (`<session>-<n>.jsonl`): a file renamed, or its time changed,
 * fails. A line is `<event JSON>\t<hex MAC>` (`JSON.stringify` never writes
 * a tab), MAC'd over the MAC of the line before it (the header's for the
 * first; for a file written without a header, a root MAC'd over its name),
 * the line's index among the file's events (8 bytes, big-endian) and the
 * event's JSON bytes: one HMAC per line, over 40 bytes more than the event.
 *
 * What the chain does not show: whole lines taken off the end of a file (a
 * file cut back after its last line it keeps reads as a file its session
 * stopped writing there), as a whole file removed does not show. The log's
 * own chain starts where a spool's records reach it. Pure.
 *
 * @example
 * ```ts
 * const mac = new SpoolMac(keys.hmacRaw).forSession("s-1a2b");
 * const { line, chain } = mac.header("s-1a2b-1.jsonl", Date.now()); // the header, then:
 * const signed = mac.line(chain, JSON.stringify(decisionEvent));   // the chain moves on
 * ```
 */
import { spoolHeader } from "./spool_header.ts";
import { hmacSha256, HmacSha256Key } from "./sha256.ts";

const encoder = new TextEncoder();

/** What the device's audit key is bound to, for this use only. */
const LABEL = "thoth spool mac v1";

/** How many hex digits a line's MAC has. */
export const SPOOL_MAC_HEX = 64;

/** What separates a line's event JSON (or a header's text) from its MAC. */
const TAB = 0x09;

/** The bytes MAC'd before a line's event JSON: the previous MAC and the line's index. */
const LINK_BYTES = 40;

const HEX = encoder.encode("0123456789abcdef");

/**
 * Where a spool file's chain stands: the MAC of its last whole line (its
 * header's before the first), and the index the next line has. It moves on
 * only when told ({@linkcode SpoolChain.advance}): a line that was not
 * written whole must not move it.
 */
export class SpoolChain {
  /** The MAC (raw) the next line's covers. */
  readonly prev = new Uint8Array(32);
  /** The MAC of the line signed or verified last, until {@linkcode SpoolChain.advance}. */
  readonly next = new Uint8Array(32);
  /** The index of the next line among the file's events. */
  index = 0;

  constructor(root: Uint8Array) {
    this.prev.set(root);
  }

  /** The line signed or verified last is in the file whole: the next one follows it. */
  advance(): void {
    this.prev.set(this.next);
    this.index++;
  }
}

/** The spool MAC key of a device: one per session from it (see {@linkcode SpoolMac.forSession}). */
export class SpoolMac {
  readonly #key: HmacSha256Key;

  /** `auditKey`: the device's audit HMAC key, raw (`DeviceKeys.hmacRaw`). */
  constructor(auditKey: Uint8Array) {
    this.#key = new HmacSha256Key(hmacSha256(auditKey, encoder.encode(LABEL)));
  }

  /** The key the files of `session`'s spool are signed with. */
  forSession(session: string): SessionSpoolMac {
    return new SessionSpoolMac(session, this.#key.mac(encoder.encode(session)));
  }
}

/** The MACs of one session's spool files. */
export class SessionSpoolMac {
  readonly session: string;
  readonly #key: HmacSha256Key;
  readonly #out = new Uint8Array(32);
  /** The link, then a line's JSON, then (when signing) its tab, MAC and newline: reused. */
  #input = new Uint8Array(4096);

  constructor(session: string, key: Uint8Array) {
    this.session = session;
    this.#key = new HmacSha256Key(key);
  }

  /**
   * The header line (without its newline) of the file named `file` (its
   * name, `<session>-<n>.jsonl`, not its path) opened at `at`, and the chain
   * its lines start from.
   */
  header(file: string, at: number): { line: string; chain: SpoolChain } {
    const text = spoolHeader(at);
    const mac = this.#key.mac(encoder.encode(`${text}\t${file}`));
    return { line: `${text}\t${hexOf(mac)}`, chain: new SpoolChain(mac) };
  }

  /**
   * The chain of the file named `file` whose header's text is `text`, when
   * `mac` (hex, as read) is its MAC; undefined when it is not.
   */
  headerChain(file: string, text: Uint8Array, mac: Uint8Array): SpoolChain | undefined {
    const expected = this.#key.mac(encoder.encode(`${new TextDecoder().decode(text)}\t${file}`));
    return sameMac(mac, expected) ? new SpoolChain(expected) : undefined;
  }

  /** The chain of a file named `file` written without a header. */
  undated(file: string): SpoolChain {
    return new SpoolChain(this.#key.mac(encoder.encode(`#spool_undated\t${file}`)));
  }

  /**
   * The line (with its newline, as bytes valid until the next call) for the
   * event JSON `body` at `chain`'s place; its MAC is left in `chain.next`,
   * for {@linkcode SpoolChain.advance} once the line is written whole.
   */
  sign(chain: SpoolChain, body: string): Uint8Array {
    // UTF-8 never takes more than three bytes per UTF-16 code unit.
    this.#room(LINK_BYTES + body.length * 3 + SPOOL_MAC_HEX + 2);
    const input = this.#input;
    const { written } = encoder.encodeInto(body, input.subarray(LINK_BYTES));
    const end = LINK_BYTES + written;
    this.#link(chain);
    this.#key.mac(input.subarray(0, end), chain.next);
    input[end] = TAB;
    for (let i = 0; i < 32; i++) {
      const byte = chain.next[i]!;
      input[end + 1 + i * 2] = HEX[byte >>> 4]!;
      input[end + 2 + i * 2] = HEX[byte & 15]!;
    }
    input[end + 1 + SPOOL_MAC_HEX] = 0x0a;
    return input.subarray(LINK_BYTES, end + SPOOL_MAC_HEX + 2);
  }

  /** The line (without its newline) for `body` at `chain`'s place; the chain moves on. */
  line(chain: SpoolChain, body: string): string {
    const bytes = this.sign(chain, body);
    chain.advance();
    return new TextDecoder().decode(bytes.subarray(0, bytes.length - 1));
  }

  /**
   * Whether `mac` (hex, as read) is the MAC of the event JSON `content` at
   * `chain`'s place; compared in constant time. When it is, `chain.next`
   * holds it (see {@linkcode SpoolChain.advance}).
   */
  verifies(chain: SpoolChain, content: Uint8Array, mac: Uint8Array): boolean {
    if (mac.length !== SPOOL_MAC_HEX) return false;
    this.#room(LINK_BYTES + content.length);
    this.#input.set(content, LINK_BYTES);
    this.#link(chain);
    const expected = this.#key.mac(this.#input.subarray(0, LINK_BYTES + content.length), this.#out);
    if (!sameMac(mac, expected)) return false;
    chain.next.set(expected);
    return true;
  }

  /** Writes `chain`'s link (the previous MAC, the index) before the line's JSON. */
  #link(chain: SpoolChain): void {
    const input = this.#input;
    input.set(chain.prev, 0);
    const high = Math.floor(chain.index / 2 ** 32);
    const low = chain.index >>> 0;
    input[32] = high >>> 24;
    input[33] = high >>> 16;
    input[34] = high >>> 8;
    input[35] = high;
    input[36] = low >>> 24;
    input[37] = low >>> 16;
    input[38] = low >>> 8;
    input[39] = low;
  }

  #room(bytes: number): void {
    if (bytes > this.#input.length) {
      this.#input = new Uint8Array(Math.max(bytes, this.#input.length * 2));
    } else if (this.#input.length > 1 << 20 && bytes <= 1 << 20) {
      // One large line once does not keep its buffer for the session's life.
      this.#input = new Uint8Array(1 << 20);
    }
  }
}

/**
 * A line's event JSON (or a header's text) and MAC (the bytes of `line`,
 * without its newline), or undefined when it does not end in a tab and
 * {@linkcode SPOOL_MAC_HEX} characters (a line of an earlier release, or no
 * spool line at all).
 */
export function splitSignedLine(
  line: Uint8Array,
): { content: Uint8Array; mac: Uint8Array } | undefined {
  const tab = line.length - SPOOL_MAC_HEX - 1;
  if (tab < 1 || line[tab] !== TAB) return undefined;
  return { content: line.subarray(0, tab), mac: line.subarray(tab + 1) };
}

/** Whether `mac` (hex, as read) is `expected`, in constant time. */
function sameMac(mac: Uint8Array, expected: Uint8Array): boolean {
  if (mac.length !== SPOOL_MAC_HEX) return false;
  let diff = 0;
  for (let i = 0; i < 32; i++) {
    const high = hexValue(mac[i * 2]!);
    const low = hexValue(mac[i * 2 + 1]!);
    // A character that is no lowercase hex digit (0x100) leaves a bit no byte has.
    diff |= ((high << 4) | low) ^ expected[i]!;
  }
  return diff === 0;
}

function hexOf(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(HEX[byte >>> 4]!, HEX[byte & 15]!);
  return text;
}

/** The value of a lowercase hex digit, or 0x100 for any other byte. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return 0x100;
}
