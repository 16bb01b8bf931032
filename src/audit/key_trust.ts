/**
 * Which signing keys a verification trusts. A keys file lists every key a
 * device ever used, but anyone who can edit it can add one, so a key counts
 * only when it descends from a root: the key that signed the anchor (a
 * checkpoint kept off the device) when there is one, else the device's first
 * key (the first entry of the keys file). A key_rotation record endorses its
 * new key with a signature by the old one, which passes trust forward; with an
 * anchor, trust also passes back from a new key to the old key that endorsed
 * it, so checkpoints signed before a rotation still verify, but only over a
 * rotation record the anchor proves: one read among the records (never one
 * carried beside them) at a leaf inside the prefix whose root the anchor
 * signed and the records reproduce. The seq a record claims proves nothing.
 * Pure.
 *
 * @example
 * ```ts
 * const trust = await resolveKeyTrust({ listed: keys, rotations, anchor, rootAt });
 * await checkNotes({ keys: trust.trusted, checkpoints }, embedded);
 * ```
 */
import { parseCheckpoint } from "./checkpoint.ts";
import { bytesEqual, fromBase64 } from "./encoding.ts";
import type { Finding } from "./finding.ts";
import { keyRotationMessage } from "./record.ts";
import { noteKeyHash, type NoteVerifier, openNote, parseVerifierKey } from "./signed_note.ts";

/** A key_rotation record as the verifier read it (fields unchecked). */
export interface KeyRotationFact {
  seq: number;
  /**
   * The record's leaf index in the log, when it was read among the records;
   * absent for one carried beside them (a bundle's keys/key-rotations.jsonl),
   * which no checkpoint covers.
   */
  leaf?: number;
  oldKeyHash: unknown;
  newVerifierKey: unknown;
  endorsement: unknown;
}

/** Where trust starts. */
export interface TrustRoot {
  /** `<name>+<key hash>` of the root key. */
  key: string;
  /** `anchor`: the key that signed the anchor; `first_key`: the keys file's first entry. */
  by: "anchor" | "first_key";
}

/** The trusted keys, the root they descend from, and what was wrong with the rotations. */
export interface KeyTrust {
  trusted: NoteVerifier[];
  root: TrustRoot | null;
  findings: Finding[];
}

interface Candidate extends NoteVerifier {
  hash: string;
}

interface Edge {
  leaf: number | undefined;
  from: Candidate;
  to: Candidate;
}

const encoder = new TextEncoder();

/** Works out the trusted keys from the listed ones, the rotation records and the anchor. */
export async function resolveKeyTrust(options: {
  /** The keys file's entries, in file order. */
  listed: readonly NoteVerifier[];
  rotations: readonly KeyRotationFact[];
  /** The anchor note's text, when one was given. */
  anchor?: string;
  /**
   * The Merkle root the records give at `size`; undefined when they do not
   * reach it. Without it no rotation counts as proven by the anchor.
   */
  rootAt?: (size: number) => Promise<Uint8Array | undefined>;
}): Promise<KeyTrust> {
  const candidates: Candidate[] = [];
  const addCandidate = async (key: NoteVerifier): Promise<Candidate> => {
    const known = candidates.find((c) =>
      c.name === key.name && bytesEqual(c.publicKey, key.publicKey)
    );
    if (known !== undefined) return known;
    const candidate = { ...key, hash: await noteKeyHash(key.name, key.publicKey) };
    candidates.push(candidate);
    return candidate;
  };
  for (const key of options.listed) await addCandidate(key);

  const findings: Finding[] = [];
  const parsed: { rotation: KeyRotationFact; next: Candidate | undefined }[] = [];
  for (const rotation of options.rotations) {
    const next = await parseVerifierKey(rotation.newVerifierKey);
    parsed.push({ rotation, next: next ? await addCandidate(next) : undefined });
  }

  let root: Candidate | undefined;
  let by: TrustRoot["by"] = "first_key";
  let signed: { size: number; root: Uint8Array } | undefined;
  if (options.anchor !== undefined) {
    for (const candidate of candidates) {
      const opened = await openNote(options.anchor, [candidate]);
      const body = opened ? parseCheckpoint(opened.text) : undefined;
      if (opened !== undefined && body !== undefined && opened.verified.length > 0) {
        root = candidate;
        by = "anchor";
        signed = body;
        break;
      }
    }
  }
  if (root === undefined && options.listed[0] !== undefined) {
    root = await addCandidate(options.listed[0]);
  }

  const edges: Edge[] = [];
  const endorsers = new Map<KeyRotationFact, Candidate[]>();
  for (const { rotation, next } of parsed) {
    if (next === undefined || typeof rotation.newVerifierKey !== "string") continue;
    const signature = typeof rotation.endorsement === "string"
      ? fromBase64(rotation.endorsement)
      : undefined;
    const message = encoder.encode(keyRotationMessage(rotation.newVerifierKey));
    const verified: Candidate[] = [];
    for (const old of candidates.filter((c) => c.hash === String(rotation.oldKeyHash))) {
      if (signature !== undefined && await verifyEd25519(old.publicKey, signature, message)) {
        verified.push(old);
        edges.push({ leaf: rotation.leaf, from: old, to: next });
      }
    }
    endorsers.set(rotation, verified);
  }

  const provenTo = await anchoredPrefix(signed, edges, options.rootAt);
  const trusted = new Set<Candidate>(root ? [root] : []);
  for (let grew = true; grew;) {
    grew = false;
    for (const edge of edges) {
      if (trusted.has(edge.from) && !trusted.has(edge.to)) {
        trusted.add(edge.to);
        grew = true;
      } else if (
        edge.leaf !== undefined && edge.leaf < provenTo && trusted.has(edge.to) &&
        !trusted.has(edge.from)
      ) {
        trusted.add(edge.from);
        grew = true;
      }
    }
  }

  for (const { rotation, next } of parsed) {
    findings.push(
      rotationFinding(rotation, next, endorsers.get(rotation) ?? [], candidates, trusted),
    );
  }
  return {
    trusted: [...trusted].map(({ name, publicKey }) => ({ name, publicKey })),
    root: root ? { key: `${root.name}+${root.hash}`, by } : null,
    findings,
  };
}

/**
 * How many leaves the anchor proves: its size when the records reproduce the
 * root it signed, else 0. Only worked out when a rotation record lies before
 * the anchor's size, since it means hashing the records up to it.
 */
async function anchoredPrefix(
  signed: { size: number; root: Uint8Array } | undefined,
  edges: readonly Edge[],
  rootAt: ((size: number) => Promise<Uint8Array | undefined>) | undefined,
): Promise<number> {
  if (signed === undefined || rootAt === undefined) return 0;
  if (!edges.some((e) => e.leaf !== undefined && e.leaf < signed.size)) return 0;
  const computed = await rootAt(signed.size);
  return computed !== undefined && bytesEqual(computed, signed.root) ? signed.size : 0;
}

function rotationFinding(
  rotation: KeyRotationFact,
  next: Candidate | undefined,
  endorsers: readonly Candidate[],
  candidates: readonly Candidate[],
  trusted: ReadonlySet<Candidate>,
): Finding {
  const { seq } = rotation;
  const oldHash = String(rotation.oldKeyHash);
  if (next === undefined) {
    return {
      kind: "bad_signature",
      severity: "tamper",
      seq,
      message: `the key rotation at seq ${seq} does not name a well-formed new key`,
    };
  }
  if (!candidates.some((c) => c.hash === oldHash)) {
    return {
      kind: "unknown_key",
      severity: "tamper",
      seq,
      message: `the key rotation at seq ${seq} is endorsed by unknown key ${oldHash}`,
    };
  }
  if (endorsers.length === 0) {
    return {
      kind: "bad_signature",
      severity: "tamper",
      seq,
      message: `the key rotation at seq ${seq} is not endorsed by key ${oldHash}`,
    };
  }
  if (!endorsers.some((c) => trusted.has(c)) && trusted.has(next)) {
    // Nothing rests on it: the new key is trusted without it (it signed the
    // anchor, or a trusted key endorsed it), and it passes no trust back.
    return {
      kind: "key_rotation",
      severity: "info",
      seq,
      message:
        `the key rotation at seq ${seq} endorses ${next.name}+${next.hash} with key ${oldHash}, which is not trusted here; it passes no trust, and ${next.name}+${next.hash} is trusted without it`,
    };
  }
  if (!endorsers.some((c) => trusted.has(c))) {
    return {
      kind: "unknown_key",
      severity: "tamper",
      seq,
      message:
        `the key rotation at seq ${seq} is endorsed by key ${oldHash}, which is not trusted: it is neither the device's first key nor the anchor's, and no trusted key endorsed it`,
    };
  }
  return {
    kind: "key_rotation",
    severity: "info",
    seq,
    message: `signing key ${oldHash} was rotated to ${next.name}+${next.hash}`,
  };
}

async function verifyEd25519(
  publicKey: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey("raw", publicKey, "Ed25519", false, ["verify"]);
    return signature.length === 64 &&
      await crypto.subtle.verify("Ed25519", key, signature, message);
  } catch {
    return false;
  }
}
