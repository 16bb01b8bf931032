/**
 * Turns an argument or result value into what the log may keep: an
 * HMAC-SHA256 digest under the device audit key (so equal values can be
 * matched without being readable), the value's shape, and only the fields
 * named safe in clear (the policy's `audit.safeToLog`, for arguments only:
 * callers pass no fields for a result). Pure: the key is passed in.
 *
 * The shape names an object's keys, and a key can be data
 * (`{"jane.doe@example.org": "cc"}`): a key stays in clear only when
 * `keyInClear` allows it (a plain identifier no detector flags). Any other key
 * is written `#k:` and the first 8 hex digits of the digest the same text
 * would get as a value, so equal keys show alike and none can be read back.
 *
 * @example
 * ```ts
 * const r = await redactValue(hmacKey, { path: "/data/a.txt", mode: "w" }, ["mode"]);
 * // { digest: "…", shape: { t: "object", keys: { mode: …, path: { t: "string", n: 11 } } }, clear: { mode: "w" } }
 * (await redactValue(hmacKey, { "123-45-6789": 1 })).shape;
 * // { t: "object", keys: { "#k:…": { t: "number" } } }
 * ```
 */
import { HmacSha256Key } from "./sha256.ts";
import { Utf8Buffer } from "./utf8_buffer.ts";
import { canonicalJson } from "./canonical_json.ts";
import { isRawJson } from "../protocol/exact_integers.ts";
import { toHex } from "./encoding.ts";
import type { RedactedValue, ValueShape } from "./record.ts";
import { keyInClear } from "../policy/detectors/key_in_clear.ts";
import { childLabel, namedValueLabel } from "../policy/detectors/named_value_label.ts";

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
/** The prefix of a key shown by digest instead of in clear. */
const HIDDEN_KEY = "#k:";
const encoder = new TextEncoder();

/** How a shape shows a key that may not be written in clear. */
type HideKey = (key: string) => string;

/** Digests, shapes and optionally clears a value. */
export async function redactValue(
  key: CryptoKey,
  value: unknown,
  safeFields: readonly string[] = [],
): Promise<RedactedValue> {
  const sign = async (text: string) =>
    new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
  const mac = await sign(canonicalJson(value));
  // Web Crypto signs asynchronously and a shape is built synchronously: first
  // list the keys to hide, then digest them.
  const hidden = new Map<string, string>();
  shapeOf(value, 0, undefined, (name) => {
    hidden.set(name, name);
    return name;
  });
  for (const name of hidden.keys()) hidden.set(name, hiddenKey(await sign(canonicalJson(name))));
  return describe(mac, value, safeFields, (name) => hidden.get(name) as string);
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
  return describeRedacted(mac, value, safeFields, prepared);
}

/**
 * The redacted form of `value` around its digest `mac` (the HMAC-SHA256 of
 * its canonical JSON under `key`, computed by the caller): the digest in hex,
 * the shape, and the fields named safe in clear. `key` digests the object
 * keys the shape may not show.
 */
export function describeRedacted(
  mac: Uint8Array,
  value: unknown,
  safeFields: readonly string[],
  key: Uint8Array | HmacSha256Key,
): RedactedValue {
  const prepared = key instanceof HmacSha256Key ? key : new HmacSha256Key(key);
  return describe(
    mac,
    value,
    safeFields,
    (name) => hiddenKey(prepared.mac(encoder.encode(canonicalJson(name)))),
  );
}

/** `#k:` and the first 8 hex digits of a key's digest. */
function hiddenKey(mac: Uint8Array): string {
  return HIDDEN_KEY + toHex(mac.subarray(0, 4));
}

function describe(
  mac: Uint8Array,
  value: unknown,
  safeFields: readonly string[],
  hide: HideKey,
): RedactedValue {
  const out: RedactedValue = { digest: toHex(mac), shape: shapeOf(value, 0, undefined, hide) };
  const clear: Record<string, unknown> = {};
  for (const path of safeFields) {
    const found = lookup(value, path);
    if (found.present) clear[path] = found.value;
  }
  if (Object.keys(clear).length > 0) out.clear = clear;
  return out;
}

/**
 * The shape of `value`, which sits under the object key `label` (if any);
 * `hide` names each key that `keyInClear` does not allow in clear.
 */
function shapeOf(
  value: unknown,
  depth: number,
  label: string | undefined,
  hide: HideKey,
): ValueShape {
  if (depth > MAX_DEPTH) return { t: "truncated" };
  if (value === null || value === undefined) return { t: "null" };
  if (typeof value === "boolean") return { t: "boolean" };
  if (typeof value === "number" || typeof value === "bigint") return { t: "number" };
  if (isRawJson?.(value) === true) return { t: "number" };
  if (typeof value === "string") return { t: "string", n: value.length };
  if (Array.isArray(value)) {
    const shape: ValueShape = { t: "array", n: value.length };
    if (value.length > 0) {
      shape.items = value.slice(0, MAX_ITEMS).map((item) => shapeOf(item, depth + 1, label, hide));
    }
    return shape;
  }
  if (typeof value === "object") {
    const keys: Record<string, ValueShape> = {};
    const object = value as Record<string, unknown>;
    const names = Object.keys(object).sort();
    // Keys are labelled as the detectors label them (a pair's value by its name).
    const named = namedValueLabel(object);
    for (const name of names.slice(0, MAX_KEYS)) {
      let shown = keyInClear(name, label) ? name : hide(name);
      // Two hidden keys whose digests share 8 hex digits: keep both.
      for (let n = 2; Object.hasOwn(keys, shown); n++) shown = `${hide(name)}~${n}`;
      keys[shown] = shapeOf(object[name], depth + 1, childLabel(name, named), hide);
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
