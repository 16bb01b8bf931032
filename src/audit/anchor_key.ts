/**
 * The anchor carries the key that signed it. `thoth audit checkpoint
 * --export` writes the newest checkpoint with one more extension line,
 * `thoth-anchor-key <verifier key>`, signed again by that same key (the
 * device's current signing key): the anchor, kept off the device, then
 * says on its own which key is the root of trust, so `verify --anchor`
 * needs no keys file to tell this log's keys from the anchor's. A line
 * inside the signed text changes nothing the checkpoint proves (its size
 * and root); an anchor without it (an older thoth's) is read as before.
 * Pure (Web Crypto only).
 *
 * @example
 * ```ts
 * const note = await withAnchorKey(newestNote, signer); // undefined: another key signed it
 * anchorKeyOf(note!); // "thoth.local/audit/ab12+1c2d3e4f+AQ…"
 * ```
 */
import { formatCheckpoint, statedCheckpoint } from "./checkpoint.ts";
import type { Finding } from "./finding.ts";
import {
  type NoteSigner,
  type NoteVerifier,
  noteVerifierKey,
  openNote,
  parseVerifierKey,
  signNote,
} from "./signed_note.ts";

/** The extension line's first word. */
export const ANCHOR_KEY_EXTENSION = "thoth-anchor-key";

/** The verifier key an anchor note states it was signed by; undefined when it states none. */
export function anchorKeyOf(note: string): string | undefined {
  const lines = statedCheckpoint(note)?.extensions ?? [];
  const prefix = `${ANCHOR_KEY_EXTENSION} `;
  const line = lines.find((l) => l.startsWith(prefix));
  return line?.slice(prefix.length);
}

/**
 * `note` (a checkpoint note) as an anchor that carries `signer`'s verifier
 * key, signed by `signer`; undefined when `signer` did not sign `note` (a
 * checkpoint of an earlier key, or a note the device did not write): the
 * device's key never signs a checkpoint it did not sign before.
 */
export async function withAnchorKey(note: string, signer: NoteSigner): Promise<string | undefined> {
  const opened = await openNote(note, [{
    name: signer.name,
    publicKey: new Uint8Array(signer.publicKey),
  }]);
  const body = opened === undefined ? undefined : statedCheckpoint(note);
  if (opened === undefined || opened.verified.length === 0 || body === undefined) return undefined;
  const key = await noteVerifierKey(signer.name, signer.publicKey);
  const extensions = (body.extensions ?? []).filter((l) =>
    !l.startsWith(`${ANCHOR_KEY_EXTENSION} `)
  );
  return await signNote(
    formatCheckpoint({ ...body, extensions: [...extensions, `${ANCHOR_KEY_EXTENSION} ${key}`] }),
    signer,
  );
}

/**
 * The key `anchor` carries (see {@linkcode anchorKeyOf}), when it is a
 * well-formed verifier key and its signature on the anchor verifies.
 */
export async function carriedAnchorKey(anchor: string): Promise<NoteVerifier | undefined> {
  const key = await parseVerifierKey(anchorKeyOf(anchor));
  if (key === undefined) return undefined;
  const opened = await openNote(anchor, [key]);
  return opened !== undefined && opened.verified.length > 0 ? key : undefined;
}

/**
 * The finding for a log verified against an anchor whose key its keys file
 * does not list and no key rotation of its records endorses: the anchor is
 * the root of trust, so it is this log (and its keys) that is not the
 * anchor's, never the anchor that is untrusted.
 */
export function notTheAnchorsLog(
  anchor: string,
  key: { name: string; hash: string },
  logKeyName: string | undefined,
): Finding {
  const stated = statedCheckpoint(anchor);
  const other = logKeyName !== undefined && logKeyName !== key.name
    ? ` (the anchor is of log "${key.name}", this log's keys are named "${logKeyName}")`
    : "";
  return {
    kind: "unknown_key",
    severity: "tamper",
    ...(stated !== undefined ? { seq: stated.size } : {}),
    source: "anchor",
    message: `this log and its keys are not the anchor's: the anchor${
      stated !== undefined ? ` (the checkpoint at size ${stated.size})` : ""
    } carries and is signed by key ${key.name}+${key.hash}, which this log's keys file does not list and no key rotation in its records endorses${other}; the anchor's key is the root of trust, so nothing this log's own keys signed counts. The log or its keys were replaced after the anchor was exported, or the anchor belongs to another log`,
  };
}

/** Whether `finding` is the one {@linkcode notTheAnchorsLog} makes. */
export function isNotTheAnchorsLog(finding: Finding): boolean {
  return finding.kind === "unknown_key" && finding.source === "anchor";
}
