/**
 * Turns an argument or result value into what the log may keep: an
 * HMAC-SHA256 digest under the device audit key (so equal values can be
 * matched without being readable), the value's shape, and only the fields a
 * policy named safe in clear. Pure: the key is passed in.
 *
 * @example
 * ```ts
 * const r = await redactValue(hmacKey, { path: "/data/a.txt", mode: "w" }, ["mode"]);
 * // { digest: "…", shape: { t: "object", keys: { mode: …, path: { t: "string", n: 11 } } }, clear: { mode: "w" } }
 * ```
 */
import { HmacSha256Key } from "./sha256.ts";
import { Utf8Buffer } from "./utf8_buffer.ts";
import { canonicalJson } from "./canonical_json.ts";
import { toHex } from "./encoding.ts";
import type { RedactedValue, ValueShape } from "./record.ts";

const MAX_DEPTH = 8;
/**
 * Values whose canonical JSON is longer than this many characters are worth
 * a native HMAC (see `AuditLog.redactFast`); shorter ones are faster in
 * TypeScript, with no promise in between.
 */
export const LARGE_VALUE_CHARS = 256 * 1024;
/** Reused for the canonical text of each value (it is hashed, never kept). */
const scratch = new Utf8Buffer();
/** The digest of the value being described, read once into hex (see {@linkcode describeRedacted}). */
const MAC_SCRATCH = new Uint8Array(32);
const MAX_KEYS = 64;
const MAX_ITEMS = 16;

/** Digests, shapes and optionally clears a value. */
export async function redactValue(
  key: CryptoKey,
  value: unknown,
  safeFields: readonly string[] = [],
): Promise<RedactedValue> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode(canonicalJson(value)),
  );
  return describeRedacted(new Uint8Array(mac), value, safeFields);
}

/**
 * {@linkcode redactValue} with the raw (or prepared) key, synchronously: the
 * same digest (HMAC-SHA256 over the canonical JSON) without a round trip
 * through Web Crypto's thread pool, which sits on the path of every governed
 * call.
 */
export function redactValueSync(
  key: Uint8Array | HmacSha256Key,
  value: unknown,
  safeFields: readonly string[] = [],
): RedactedValue {
  return redactCanonicalSync(key, canonicalJson(value), value, safeFields);
}

/** {@linkcode redactValueSync} for a value whose canonical JSON `text` is already made. */
export function redactCanonicalSync(
  key: Uint8Array | HmacSha256Key,
  text: string,
  value: unknown,
  safeFields: readonly string[] = [],
): RedactedValue {
  const prepared = key instanceof HmacSha256Key ? key : new HmacSha256Key(key);
  scratch.clear();
  const mac = prepared.mac(scratch.append(text), MAC_SCRATCH);
  return describeRedacted(mac, value, safeFields);
}

/**
 * The redacted form of `value` around its digest `mac` (the HMAC-SHA256 of
 * its canonical JSON, computed by the caller): the digest in hex, the shape,
 * and the fields named safe in clear.
 */
export function describeRedacted(
  mac: Uint8Array,
  value: unknown,
  safeFields: readonly string[],
): RedactedValue {
  const out: RedactedValue = { digest: toHex(mac), shape: shapeOf(value, 0) };
  const clear: Record<string, unknown> = {};
  for (const path of safeFields) {
    const found = lookup(value, path);
    if (found.present) clear[path] = found.value;
  }
  if (Object.keys(clear).length > 0) out.clear = clear;
  return out;
}

function shapeOf(value: unknown, depth: number): ValueShape {
  if (depth > MAX_DEPTH) return { t: "truncated" };
  if (value === null || value === undefined) return { t: "null" };
  if (typeof value === "boolean") return { t: "boolean" };
  if (typeof value === "number" || typeof value === "bigint") return { t: "number" };
  if (typeof value === "string") return { t: "string", n: value.length };
  if (Array.isArray(value)) {
    const shape: ValueShape = { t: "array", n: value.length };
    if (value.length > 0) {
      shape.items = value.slice(0, MAX_ITEMS).map((item) => shapeOf(item, depth + 1));
    }
    return shape;
  }
  if (typeof value === "object") {
    const keys: Record<string, ValueShape> = {};
    const names = Object.keys(value as Record<string, unknown>).sort();
    for (const name of names.slice(0, MAX_KEYS)) {
      keys[name] = shapeOf((value as Record<string, unknown>)[name], depth + 1);
    }
    if (names.length > MAX_KEYS) keys["…"] = { t: "truncated" };
    return { t: "object", keys };
  }
  return { t: "null" };
}

function lookup(value: unknown, path: string): { present: boolean; value?: unknown } {
  let current: unknown = value;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) {
      return { present: false };
    }
    if (!Object.hasOwn(current, part)) return { present: false };
    current = (current as Record<string, unknown>)[part];
  }
  return { present: true, value: current };
}
