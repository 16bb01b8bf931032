/**
 * Fresh decision ids: `d-` and 16 random hex digits, unique enough to find
 * one decision among billions in an audit log.
 *
 * @example
 * ```ts
 * newDecisionId(); // "d-9f2c41aa07e35b18"
 * ```
 */
import { toHex } from "../audit/encoding.ts";

/** Refilled for each id and read at once: a new array per call costs more than the id. */
const bytes = new Uint8Array(8);

/** Returns a new random decision id. */
export function newDecisionId(): string {
  crypto.getRandomValues(bytes);
  return `d-${toHex(bytes)}`;
}
