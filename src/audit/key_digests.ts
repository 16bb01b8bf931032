/**
 * The digests the audit log keeps of arguments, results and large responses,
 * taken under the device's HMAC key: the open log takes them so (an
 * `AuditLog` is a `KeyDigests`), and so does a session whose log could not
 * be opened yet (its lock held elsewhere), which spools its decisions with
 * the same digests the open log would give them, so nothing is left
 * undigested while it waits.
 *
 * @example
 * ```ts
 * const digests = new KeyDigests(keys.hmacRaw);
 * const args = digests.redactFast({ path: "/tmp/a" }, ["path"]);
 * ```
 */
import { HmacSha256Key } from "./sha256.ts";
import {
  describeRedacted,
  LARGE_VALUE_CHARS,
  redactCanonicalSync,
  redactValueSync,
} from "./redact.ts";
import type { RedactedValue } from "./record.ts";
import { canonicalJson } from "./canonical_json.ts";
import { nativeHmacStream } from "./native_hmac.ts";
import { macParts } from "./mac_parts.ts";
import { toHex } from "./encoding.ts";

/** What a session digests values with: the open log, or the key alone. */
export interface Digests {
  redactFast(
    value: unknown,
    safeFields?: readonly string[],
  ): RedactedValue | Promise<RedactedValue>;
  redactSync(value: unknown, safeFields?: readonly string[]): RedactedValue;
  macParts(parts: readonly Uint8Array[], length: number): Promise<string>;
}

/** The log's digests under the device HMAC key `hmacRaw`, with or without a log open. */
export class KeyDigests implements Digests {
  #hmac: HmacSha256Key;
  #hmacRaw: Uint8Array;

  constructor(hmacRaw: Uint8Array) {
    this.#hmac = new HmacSha256Key(hmacRaw);
    this.#hmacRaw = hmacRaw;
  }

  /** Takes the digests under the device HMAC key `hmacRaw` from now on (the log's keys were replaced). */
  protected rekey(hmacRaw: Uint8Array): void {
    this.#hmac = new HmacSha256Key(hmacRaw);
    this.#hmacRaw = hmacRaw;
  }

  /**
   * The device HMAC key's digest and the shape of `value` (see
   * `redactValueSync`), without a promise for ordinary values (the relay's
   * hot path). A value whose canonical JSON is over
   * {@linkcode LARGE_VALUE_CHARS} characters (a file written through a
   * tool, say) is digested by the runtime's native HMAC instead, several
   * times faster at that size (20 MiB: about 15 ms against 85 ms or more),
   * and the result comes as a promise.
   */
  redactFast(
    value: unknown,
    safeFields: readonly string[] = [],
  ): RedactedValue | Promise<RedactedValue> {
    const text = canonicalJson(value);
    if (text.length <= LARGE_VALUE_CHARS) {
      return redactCanonicalSync(this.#hmac, text, value, safeFields);
    }
    return this.#redactLarge(text, value, safeFields);
  }

  async #redactLarge(
    text: string,
    value: unknown,
    safeFields: readonly string[],
  ): Promise<RedactedValue> {
    const stream = (await nativeHmacStream(this.#hmacRaw)) ?? this.#hmac.begin();
    stream.update(new TextEncoder().encode(text));
    return describeRedacted(stream.mac(), value, safeFields, this.#hmac);
  }

  /** {@linkcode redactFast}, synchronously whatever the size (the relay's hot path). */
  redactSync(value: unknown, safeFields: readonly string[] = []): RedactedValue {
    return redactValueSync(this.#hmac, value, safeFields);
  }

  /**
   * The device HMAC key's digest (hex) of the first `length` bytes of
   * `parts`, hashed a slice at a time so the thread keeps serving meanwhile.
   */
  async macParts(parts: readonly Uint8Array[], length: number): Promise<string> {
    const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
    const stream = (await nativeHmacStream(this.#hmacRaw)) ?? this.#hmac.begin();
    return toHex(await macParts(stream, parts, length, pause));
  }
}
