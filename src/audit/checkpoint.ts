/**
 * The C2SP tlog-checkpoint body: origin line, decimal tree size, base64 root
 * hash, then optional extension lines, each ending in a newline. Pure.
 *
 * @example
 * ```ts
 * const body = formatCheckpoint({ origin: "thoth.local/audit/ab12", size: 8, root });
 * parseCheckpoint(body)?.size; // 8
 * ```
 */
import { fromBase64, toBase64 } from "./encoding.ts";
import { HASH_SIZE } from "./merkle_hash.ts";

/** A checkpoint: the log's identity, size and Merkle root. */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  extensions?: string[];
}

/** Formats a checkpoint body (the text a signed note signs). */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const lines = [checkpoint.origin, String(checkpoint.size), toBase64(checkpoint.root)];
  for (const line of checkpoint.extensions ?? []) lines.push(line);
  return lines.join("\n") + "\n";
}

/** Parses a checkpoint body; `undefined` when it is not one. */
export function parseCheckpoint(text: string): Checkpoint | undefined {
  if (!text.endsWith("\n")) return undefined;
  const lines = text.slice(0, -1).split("\n");
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (origin === undefined || origin === "" || sizeText === undefined || rootText === undefined) {
    return undefined;
  }
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) return undefined;
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return undefined;
  const root = fromBase64(rootText);
  if (root === undefined || root.length !== HASH_SIZE) return undefined;
  if (extensions.some((line) => line === "")) return undefined;
  return extensions.length > 0 ? { origin, size, root, extensions } : { origin, size, root };
}

/**
 * The checkpoint a signed note's body states, its signatures not checked
 * (the body ends at the note's blank line); `undefined` when it holds none.
 * For what a note claims (its size, its origin), never for what it proves.
 */
export function statedCheckpoint(note: string): Checkpoint | undefined {
  const split = note.indexOf("\n\n");
  return split < 0 ? undefined : parseCheckpoint(note.slice(0, split + 1));
}
