/**
 * Which signing keys a verification trusts. A keys file lists every key a
 * device ever used, but anyone who can edit it can add one, so a key counts
 * only when it descends from a root: the key that signed the anchor (a
 * checkpoint kept off the device) when there is one, else the device's first
 * key (the first entry of the keys file). A key_rotation record endorses its
 * new key with a signature by the old one, which passes trust forward. Trust
 * passes back from a trusted new key to the old key that endorsed it only
 * over a rotation something trusted proves: one read among the records (never
 * one carried beside them) at a leaf inside a prefix whose root a trusted key
 * signed (the anchor, or any checkpoint) and the records reproduce; or one
 * carried beside the records when a trusted key signed the bundle's export
 * statement over the very file that carries it (the `voucher`). Each key so
 * trusted may sign further checkpoints that prove further rotations, so this
 * runs to a fixpoint. The seq a record claims proves nothing. Pure.
 *
 * @example
 * ```ts
 * const trust = await resolveKeyTrust({ listed: keys, rotations, anchor, checkpoints, rootsAt });
 * await checkNotes({ keys: trust.trusted, checkpoints }, embedded);
 * ```
 */
import { parseCheckpoint } from "./checkpoint.ts";
import { bytesEqual, fromBase64 } from "./encoding.ts";
import type { Finding } from "./finding.ts";
import { keyRotationMessage } from "./record.ts";
import { noteKeyHash, type NoteVerifier, openNote, parseVerifierKey } from "./signed_note.ts";
import { carriedAnchorKey, notTheAnchorsLog } from "./anchor_key.ts";
import type { KeyRotationFact } from "./key_rotation_fact.ts";
import type { KeyCandidate as Candidate } from "./key_candidate.ts";
import { rotationFinding } from "./rotation_finding.ts";

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
  /**
   * `<name>+<key hash>` of every key the evidence names, trusted or not: the
   * keys file's and those key rotations endorse. A note signed by none of
   * them is signed by a key the evidence does not know.
   */
  known: string[];
}

/** What {@linkcode resolveKeyTrust} works from. */
export interface KeyTrustInput {
  /** The keys file's entries, in file order. */
  listed: readonly NoteVerifier[];
  rotations: readonly KeyRotationFact[];
  /**
   * The anchor note's text, when one was given. One that carries its key
   * (see `anchor_key.ts`) makes that key the root even when the keys file
   * does not list it (then the log is not the anchor's: a finding), except
   * for a `bundle`, whose keys file lists only the keys up to its export.
   */
  anchor?: string;
  /** The records are an exported bundle, not a device's log. */
  bundle?: boolean;
  /** Every checkpoint note found (inside the log and beside it). */
  checkpoints?: readonly string[];
  /**
   * The Merkle roots the records give at `sizes` (ascending); a size they do
   * not reach is left out. Without it no rotation read among the records is
   * proven, and trust passes back over none.
   */
  rootsAt?: (sizes: number[]) => Promise<ReadonlyMap<number, Uint8Array>>;
  /**
   * A signed note that vouches for the carried rotations (a bundle's export
   * statement, given only when it signs the manifest that lists the carried
   * file as it is): once its signer is trusted, they pass trust back too.
   */
  voucher?: string;
}

interface Edge {
  leaf: number | undefined;
  from: Candidate;
  to: Candidate;
}

/** A checkpoint note with the candidate keys whose signatures on it verify. */
interface SignedRoot {
  size: number;
  root: Uint8Array;
  by: Candidate[];
}

const encoder = new TextEncoder();

/** Works out the trusted keys from the listed ones, the rotation records and the anchor. */
export async function resolveKeyTrust(options: KeyTrustInput): Promise<KeyTrust> {
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
  const carried = options.anchor === undefined ? undefined : await carriedAnchorKey(options.anchor);
  if (carried !== undefined) {
    const named = candidates.some((c) =>
      c.name === carried.name &&
      bytesEqual(c.publicKey, carried.publicKey)
    );
    if (named || options.bundle !== true) {
      root = await addCandidate(carried);
      by = "anchor";
      if (!named) findings.push(notTheAnchorsLog(options.anchor!, root, options.listed[0]?.name));
    }
  }
  if (options.anchor !== undefined && root === undefined) {
    for (const candidate of candidates) {
      const opened = await openNote(options.anchor, [candidate]);
      const body = opened ? parseCheckpoint(opened.text) : undefined;
      if (opened !== undefined && body !== undefined && opened.verified.length > 0) {
        root = candidate;
        by = "anchor";
        break;
      }
    }
  }
  const first = options.listed[0] !== undefined ? await addCandidate(options.listed[0]) : undefined;
  root ??= first;

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

  const trusted = await trustFrom(root, edges, candidates, options);

  // The keys the keys file's first key leads to: a carried rotation endorsed
  // by none of them is no rotation this device wrote.
  const chain = reach(first, edges);
  for (const { rotation, next } of parsed) {
    findings.push(
      rotationFinding(rotation, next, endorsers.get(rotation) ?? [], candidates, trusted, chain),
    );
  }
  const seen = new Set<Candidate>();
  for (const key of options.listed) {
    const candidate = candidates.find((c) =>
      c.name === key.name && bytesEqual(c.publicKey, key.publicKey)
    )!;
    if (trusted.has(candidate) || seen.has(candidate)) continue;
    seen.add(candidate);
    findings.push({
      kind: "untrusted_key",
      severity: "info",
      message:
        `the keys file lists ${candidate.name}+${candidate.hash}, which is not trusted here: no trusted key endorsed it in a key rotation these records or the rotations carried with them prove; anything it signed counts for nothing`,
    });
  }
  return {
    trusted: [...trusted].map(({ name, publicKey }) => ({ name, publicKey })),
    root: root ? { key: `${root.name}+${root.hash}`, by } : null,
    findings,
    known: candidates.map((c) => `${c.name}+${c.hash}`),
  };
}

/**
 * The keys trusted from `root`: forward over every endorsement, back over
 * the rotations something trusted proves, until nothing changes. Checkpoint
 * roots are only computed when a rotation waits for one.
 */
async function trustFrom(
  root: Candidate | undefined,
  edges: readonly Edge[],
  candidates: readonly Candidate[],
  options: KeyTrustInput,
): Promise<Set<Candidate>> {
  const trusted = new Set<Candidate>(root ? [root] : []);
  /** Leaves below this are proven: a trusted key signed the root the records give there. */
  let provenTo = 0;
  let carriedProven = false;
  let signed: SignedRoot[] | undefined;
  const computed = new Map<number, Uint8Array | undefined>();
  const proven = (edge: Edge): boolean =>
    edge.leaf === undefined ? carriedProven : edge.leaf < provenTo;
  for (;;) {
    for (let grew = true; grew;) {
      grew = false;
      for (const edge of edges) {
        if (trusted.has(edge.from) && !trusted.has(edge.to)) {
          trusted.add(edge.to);
          grew = true;
        } else if (trusted.has(edge.to) && !trusted.has(edge.from) && proven(edge)) {
          trusted.add(edge.from);
          grew = true;
        }
      }
    }
    const waiting = edges.filter((e) => trusted.has(e.to) && !trusted.has(e.from) && !proven(e));
    if (waiting.length === 0) return trusted;
    let progressed = false;
    if (
      !carriedProven && options.voucher !== undefined && waiting.some((e) => e.leaf === undefined)
    ) {
      const opened = await openNote(options.voucher, [...trusted]);
      if (opened !== undefined && opened.verified.length > 0) {
        carriedProven = true;
        progressed = true;
      }
    }
    const leaves = waiting.flatMap((e) => e.leaf !== undefined ? [e.leaf] : []);
    if (leaves.length > 0 && options.rootsAt !== undefined) {
      signed ??= await signedRoots(options, candidates);
      const lowest = leaves.reduce((min, leaf) => leaf < min ? leaf : min);
      const usable = signed.filter((s) =>
        s.size > lowest && s.size > provenTo && s.by.some((c) => trusted.has(c))
      );
      const sizes = [...new Set(usable.map((s) => s.size))].filter((s) => !computed.has(s))
        .sort((a, b) => a - b);
      if (sizes.length > 0) {
        const roots = await options.rootsAt(sizes);
        for (const size of sizes) computed.set(size, roots.get(size));
      }
      for (const s of usable.sort((a, b) => b.size - a.size)) {
        const root = computed.get(s.size);
        if (root !== undefined && bytesEqual(root, s.root)) {
          provenTo = s.size;
          progressed = true;
          break;
        }
      }
    }
    if (!progressed) return trusted;
  }
}

/** Every checkpoint note (the anchor among them) with the candidates whose signatures verify. */
async function signedRoots(
  options: KeyTrustInput,
  candidates: readonly Candidate[],
): Promise<SignedRoot[]> {
  const notes = new Set([
    ...(options.checkpoints ?? []),
    ...(options.anchor !== undefined ? [options.anchor] : []),
  ]);
  const out: SignedRoot[] = [];
  for (const note of notes) {
    const opened = await openNote(note, candidates);
    const body = opened ? parseCheckpoint(opened.text) : undefined;
    if (opened === undefined || body === undefined) continue;
    const by = candidates.filter((c) =>
      opened.verified.some((sig) => sig.name === c.name && sig.keyHash === c.hash)
    );
    if (by.length > 0) out.push({ size: body.size, root: body.root, by });
  }
  return out;
}

/** The keys `from` leads to over endorsements, itself included. */
function reach(from: Candidate | undefined, edges: readonly Edge[]): Set<Candidate> {
  const reached = new Set<Candidate>(from ? [from] : []);
  for (let grew = true; grew;) {
    grew = false;
    for (const edge of edges) {
      if (reached.has(edge.from) && !reached.has(edge.to)) {
        reached.add(edge.to);
        grew = true;
      }
    }
  }
  return reached;
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
