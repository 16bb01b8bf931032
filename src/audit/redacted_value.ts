/**
 * How the audit log keeps a value it must not hold in clear: its shape and a
 * keyed digest (see `redact.ts`, which makes them). Pure data.
 *
 * @example
 * ```ts
 * const kept: RedactedValue = { digest: "ab…", shape: { t: "string", n: 12 } };
 * ```
 */

/** The shape of a value: key names, types and lengths, never the value. */
export type ValueShape =
  | { t: "null" }
  | { t: "boolean" }
  | { t: "number" }
  | { t: "string"; n: number }
  | { t: "array"; n: number; items?: ValueShape[] }
  | { t: "object"; keys: Record<string, ValueShape> }
  | { t: "truncated" };

/** A value as the log keeps it: a keyed digest, its shape, and any fields the policy allows in clear. */
export interface RedactedValue {
  /** HMAC-SHA256 under the device audit key over the canonical JSON, hex. */
  digest: string;
  shape: ValueShape;
  /** Values of fields the policy named safe to log, by dotted path. */
  clear?: Record<string, unknown>;
}
