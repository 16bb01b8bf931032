/**
 * The verifier's reading of stored lines: a run of adjacent lines decoded
 * with one decoder call, and each line parsed as far as verification needs
 * (a record of version 1 with a seq, a time, a type and a previous leaf
 * hash). Pure.
 *
 * @example
 * ```ts
 * const texts = decodeLines(lines);
 * const record = parseRecord(lines[0]!, texts?.[0]); // undefined: not a record
 * ```
 */
import { fromHex } from "./encoding.ts";
import { HASH_SIZE } from "./merkle_hash.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** One stored line, read as far as verification needs. */
export type ParsedRecord = Record<string, unknown> & { seq: number; prev: Uint8Array };

/**
 * Decodes a run of adjacent lines with one decoder call (one per line costs
 * more than the parsing); undefined when they are not adjacent or not UTF-8,
 * and each line is then decoded on its own.
 */
export function decodeLines(lines: readonly Uint8Array[]): string[] | undefined {
  const first = lines[0];
  const last = lines[lines.length - 1];
  if (first === undefined || last === undefined || lines.length === 1) return undefined;
  const span = last.byteOffset + last.length - first.byteOffset;
  let total = lines.length - 1;
  for (const line of lines) {
    if (line.buffer !== first.buffer) return undefined;
    total += line.length;
  }
  if (total !== span) return undefined;
  try {
    const texts = decoder.decode(new Uint8Array(first.buffer, first.byteOffset, span)).split("\n");
    return texts.length === lines.length ? texts : undefined;
  } catch {
    return undefined;
  }
}

/** One stored line as a record; undefined when it is not one. */
export function parseRecord(line: Uint8Array, text?: string): ParsedRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text ?? decoder.decode(line));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const seq = record["seq"];
  if (record["v"] !== 1 || typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) {
    return undefined;
  }
  if (typeof record["ts"] !== "string" || typeof record["type"] !== "string") return undefined;
  const prev = typeof record["prev"] === "string" ? fromHex(record["prev"]) : undefined;
  if (prev === undefined || prev.length !== HASH_SIZE) return undefined;
  const parsed = record as ParsedRecord;
  parsed.prev = prev;
  return parsed;
}
