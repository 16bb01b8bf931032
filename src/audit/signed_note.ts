/**
 * C2SP signed notes with Ed25519 signatures: a text ending in a newline, a
 * blank line, then lines `— <name> <base64(key hash || signature)>`, where the
 * key hash is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public
 * key). Pure: keys are passed in; only Web Crypto is used.
 *
 * @example
 * ```ts
 * const note = await signNote("origin\n1\nAAAA\n", signer);
 * const opened = await openNote(note, [verifier]);
 * opened.verified; // [{ name, keyHash }]
 * ```
 */
import { bytesEqual, fromBase64, toBase64, toHex } from "./encoding.ts";

const encoder = new TextEncoder();
const ED25519_ALG = 0x01;

/** What signs a note: a key name and an Ed25519 private key. */
export interface NoteSigner {
  name: string;
  privateKey: CryptoKey;
  /** Raw 32-byte public key. */
  publicKey: Uint8Array;
}

/** A trusted key: name and raw 32-byte Ed25519 public key. */
export interface NoteVerifier {
  name: string;
  publicKey: Uint8Array<ArrayBuffer>;
}

/** One signature line as parsed. */
export interface NoteSignature {
  name: string;
  /** The 4-byte key hash, as 8 hex digits. */
  keyHash: string;
  /** The signature bytes after the key hash. */
  signature: Uint8Array<ArrayBuffer>;
}

/** The result of opening a note. */
export interface OpenedNote {
  /** The signed text, with its final newline. */
  text: string;
  signatures: NoteSignature[];
  /** Signatures by a trusted key that verified. */
  verified: NoteSignature[];
  /** Signatures by a trusted key (name and key hash match) that did not verify. */
  invalid: NoteSignature[];
  /** Signatures whose name and key hash match no trusted key. */
  unknown: NoteSignature[];
}

/** The C2SP key hash of an Ed25519 key: 8 hex digits. */
export async function noteKeyHash(name: string, publicKey: Uint8Array): Promise<string> {
  const nameBytes = encoder.encode(name);
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  input.set(nameBytes, 0);
  input[nameBytes.length] = 0x0a;
  input[nameBytes.length + 1] = ED25519_ALG;
  input.set(publicKey, nameBytes.length + 2);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
  return toHex(digest.subarray(0, 4));
}

/** The C2SP verifier key string `<name>+<hash>+<base64(0x01 || key)>`. */
export async function noteVerifierKey(name: string, publicKey: Uint8Array): Promise<string> {
  const typed = new Uint8Array(publicKey.length + 1);
  typed[0] = ED25519_ALG;
  typed.set(publicKey, 1);
  return `${name}+${await noteKeyHash(name, publicKey)}+${toBase64(typed)}`;
}

/** Reads a C2SP verifier key `<name>+<hash>+<base64(0x01 || key)>`; undefined unless it is one. */
export async function parseVerifierKey(value: unknown): Promise<NoteVerifier | undefined> {
  if (typeof value !== "string") return undefined;
  // The name holds no "+" and the hash is hex, but base64 may hold "+".
  const first = value.indexOf("+");
  const second = value.indexOf("+", first + 1);
  if (first < 0 || second < 0) return undefined;
  const name = value.slice(0, first);
  const hash = value.slice(first + 1, second);
  const typed = fromBase64(value.slice(second + 1));
  if (name === "" || typed === undefined || typed.length !== 33 || typed[0] !== 0x01) {
    return undefined;
  }
  const publicKey = typed.slice(1);
  if (await noteKeyHash(name, publicKey) !== hash) return undefined;
  return { name, publicKey };
}

/** A new Ed25519 key pair for signing notes: the private key as PKCS#8 and the raw public key. */
export async function newNoteKeyPair(): Promise<{ pkcs8: Uint8Array; publicKey: Uint8Array }> {
  const pair = await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  return {
    pkcs8: new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey)),
    publicKey: new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)),
  };
}

/** Whether a key name is allowed: non-empty, no spaces, no plus signs, no control characters. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/.test(name) && !hasControl(name, false);
}

/** Whether text holds an ASCII control character (newlines allowed when `newlines`). */
function hasControl(text: string, newlines: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && !(newlines && code === 0x0a)) || code === 0x7f) return true;
  }
  return false;
}

/** Signs `text` (which must end in a newline) and returns the note. */
export async function signNote(text: string, signer: NoteSigner): Promise<string> {
  if (!text.endsWith("\n") || hasControl(text, true)) {
    throw new RangeError("a note text must end in a newline and hold no control characters");
  }
  if (!isValidKeyName(signer.name)) throw new RangeError(`invalid key name "${signer.name}"`);
  const signature = new Uint8Array(
    await crypto.subtle.sign("Ed25519", signer.privateKey, encoder.encode(text)),
  );
  const hash = await noteKeyHash(signer.name, signer.publicKey);
  const blob = new Uint8Array(4 + signature.length);
  for (let i = 0; i < 4; i++) blob[i] = parseInt(hash.slice(2 * i, 2 * i + 2), 16);
  blob.set(signature, 4);
  return `${text}\n— ${signer.name} ${toBase64(blob)}\n`;
}

/**
 * Splits a note and checks each signature against the trusted keys. Returns
 * `undefined` when the note is malformed.
 */
export async function openNote(
  note: string,
  verifiers: readonly NoteVerifier[],
): Promise<OpenedNote | undefined> {
  if (!note.endsWith("\n") || hasControl(note, true)) return undefined;
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return undefined;
  const text = note.slice(0, split + 1);
  const sigLines = note.slice(split + 2, -1).split("\n");
  const signatures: NoteSignature[] = [];
  for (const line of sigLines) {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (match === null) return undefined;
    const blob = fromBase64(match[2]!);
    if (blob === undefined || blob.length < 5) return undefined;
    signatures.push({
      name: match[1]!,
      keyHash: toHex(blob.subarray(0, 4)),
      signature: blob.subarray(4),
    });
  }
  if (signatures.length === 0) return undefined;
  const trusted = await Promise.all(
    verifiers.map(async (v) => ({ ...v, hash: await noteKeyHash(v.name, v.publicKey) })),
  );
  const opened: OpenedNote = { text, signatures, verified: [], invalid: [], unknown: [] };
  const textBytes = encoder.encode(text);
  for (const sig of signatures) {
    const key = trusted.find((t) => t.name === sig.name && t.hash === sig.keyHash);
    if (key === undefined) {
      opened.unknown.push(sig);
      continue;
    }
    let ok = false;
    try {
      const publicKey = await crypto.subtle.importKey("raw", key.publicKey, "Ed25519", false, [
        "verify",
      ]);
      ok = sig.signature.length === 64 &&
        await crypto.subtle.verify("Ed25519", publicKey, sig.signature, textBytes);
    } catch {
      ok = false;
    }
    (ok ? opened.verified : opened.invalid).push(sig);
  }
  return opened;
}

/** Whether two public keys are the same bytes. */
export function samePublicKey(a: NoteVerifier, b: NoteVerifier): boolean {
  return a.name === b.name && bytesEqual(a.publicKey, b.publicKey);
}
