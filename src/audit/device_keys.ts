/**
 * The device's audit keys under `<thothHome>/keys/`, generated on first use:
 * an HMAC-SHA256 key for argument digests and an Ed25519 key that signs
 * checkpoints. Private parts are written 0600; every public signing key ever
 * used is kept in a history file so old checkpoints still verify. Call with
 * the audit lock held: two processes must not both create keys. A private
 * key missing beside a log that holds records is never made anew
 * (`audit.key_missing`, see `lost_key_remedy.ts`): the log's checkpoints and
 * digests were made with the lost one.
 *
 * @example
 * ```ts
 * const keys = await loadDeviceKeys("/home/ana/.thoth", new Date());
 * await redactValue(keys.hmacKey, args);
 * ```
 */
import { AppError } from "../errors.ts";
import { atomicWrite } from "../platform/atomic_write.ts";
import { fromBase64, toBase64, toHex } from "./encoding.ts";
import { type AuditPaths, auditPaths } from "./log_paths.ts";
import { FileOverLimitError, readRegularFile } from "../platform/read_regular_file.ts";
import { logHoldsRecords } from "./log_holds_records.ts";
import { type AuditKeyKind, damagedHmacKeyHints, keyMissingError } from "./lost_key_remedy.ts";
import {
  newNoteKeyPair,
  noteKeyHash,
  type NoteSigner,
  type NoteVerifier,
  noteVerifierKey,
} from "./signed_note.ts";

/** One public signing key in the history. */
export interface PublicKeyEntry {
  name: string;
  keyHash: string;
  /** Raw Ed25519 public key, base64. */
  publicKey: string;
  verifierKey: string;
  created: string;
  retired?: string;
}

/** The loaded keys. */
export interface DeviceKeys {
  hmacKey: CryptoKey;
  /** The same HMAC key's bytes, for the synchronous digest on the relay's hot path. */
  hmacRaw: Uint8Array;
  signer: NoteSigner & { keyHash: string };
  publicKeys: PublicKeyEntry[];
}

interface SigningKeyFile {
  name: string;
  keyHash: string;
  pkcs8: string;
  publicKey: string;
  created: string;
}

/**
 * Where a thread that may not read `keys/` gets the device keys: the answers
 * {@linkcode loadDeviceKeys} and {@linkcode firstKeyCreated} would give, read
 * by a thread that may.
 */
export interface DeviceKeySource {
  /** The keys, made on first use (what `loadDeviceKeys` returns there). */
  load(now: Date): Promise<DeviceKeys>;
  /** When the first signing key was made, read without making one (`firstKeyCreated`). */
  firstCreated(): Promise<string | null>;
}

/** Sources by keys folder, for this thread only (see {@linkcode useDeviceKeySource}). */
const sources = new Map<string, DeviceKeySource>();

/**
 * From now on this thread gets the keys of `thothHome` from `source`, never
 * from the disk (`undefined`: from the disk again). The sandboxed proxy core
 * calls it before it opens the audit log.
 */
export function useDeviceKeySource(thothHome: string, source: DeviceKeySource | undefined): void {
  const dir = auditPaths(thothHome).keysDir;
  if (source === undefined) sources.delete(dir);
  else sources.set(dir, source);
}

/** The source registered for the keys folder `path` is in, if any. */
function sourceOf(path: string): DeviceKeySource | undefined {
  if (sources.size === 0) return undefined;
  return sources.get(path.slice(0, path.lastIndexOf("/")));
}

/**
 * Loads the keys, creating any that are missing, unless the log already
 * holds records: then a missing private key throws `audit.key_missing`.
 */
export async function loadDeviceKeys(thothHome: string, now: Date): Promise<DeviceKeys> {
  const paths = auditPaths(thothHome);
  const source = sourceOf(paths.hmacKey);
  if (source !== undefined) return await source.load(now);
  await Deno.mkdir(paths.keysDir, { recursive: true, mode: 0o700 });
  // Asked only when a key is missing: a log with records keeps the keys it was made with.
  const beforeNewKey = async (kind: AuditKeyKind) => {
    if (await logHoldsRecords(paths.dir)) throw keyMissingError(thothHome, kind);
  };
  const { key: hmacKey, raw: hmacRaw } = await loadOrCreateHmacKey(
    paths.hmacKey,
    () => beforeNewKey("hmac"),
    thothHome,
  );
  let signing = await readJson<SigningKeyFile>(paths.signingKey);
  let history = (await readJson<PublicKeyEntry[]>(paths.publicKeys)) ?? [];
  if (signing === undefined) {
    await beforeNewKey("signing");
    const name = `thoth.local/audit/${toHex(crypto.getRandomValues(new Uint8Array(8)))}`;
    signing = await generateSigningKey(name, now);
    history = [...history, await publicEntry(signing)];
    await writeSecret(paths.signingKey, JSON.stringify(signing, null, 2) + "\n");
    await writeSecret(paths.publicKeys, JSON.stringify(history, null, 2) + "\n");
  } else if (!history.some((entry) => entry.keyHash === signing!.keyHash)) {
    history = [...history, await publicEntry(signing)];
    await writeSecret(paths.publicKeys, JSON.stringify(history, null, 2) + "\n");
  }
  return {
    hmacKey,
    hmacRaw,
    signer: await importSigner(signing, paths.signingKey),
    publicKeys: history,
  };
}

/** A new signing key made to replace the device's, not yet written (see `replace`). */
export interface SigningKeyRotation {
  old: DeviceKeys["signer"];
  next: DeviceKeys["signer"];
  /** The history once the key is replaced: the old key retired, the new one last. */
  publicKeys: PublicKeyEntry[];
  /** Writes the history, then the new key in place of the old one. */
  replace(): Promise<void>;
}

/**
 * Makes a new signing key (same name) to replace the device's, retiring the
 * old one in the history; nothing is written until `replace`. The caller
 * records the rotation first: a failure between then leaves a rotation
 * recorded to a key never used (the old key signs on), never a key in use
 * that no record endorses.
 */
export async function rotateDeviceSigningKey(
  thothHome: string,
  now: Date,
): Promise<SigningKeyRotation> {
  const paths = auditPaths(thothHome);
  const current = await loadDeviceKeys(thothHome, now);
  const fresh = await generateSigningKey(current.signer.name, now);
  const history = current.publicKeys.map((entry) =>
    entry.keyHash === current.signer.keyHash ? { ...entry, retired: now.toISOString() } : entry
  );
  history.push(await publicEntry(fresh));
  return {
    old: current.signer,
    next: await importSigner(fresh, paths.signingKey),
    publicKeys: history,
    replace: async () => {
      await writeSecret(paths.publicKeys, JSON.stringify(history, null, 2) + "\n");
      await writeSecret(paths.signingKey, JSON.stringify(fresh, null, 2) + "\n");
    },
  };
}

/**
 * The most bytes the signing key file may hold: thoth writes about 300 (a
 * name, two hashes and a PKCS#8 key in base64).
 */
export const SIGNING_KEY_FILE_LIMIT = 64 * 1024;

/**
 * The device's current signing key, read as it is (never created): for
 * signing what the device hands out, such as a bundle's export statement.
 * Read only when it is a regular file of at most
 * {@linkcode SIGNING_KEY_FILE_LIMIT} bytes, opened without waiting (its
 * callers hold the audit writers' lock: a FIFO or `/dev/zero` in its place
 * must not hold every session with it). Throws `audit.no_signing_key` when
 * there is none or it cannot be read (it is readable only by the user thoth
 * runs as), `audit.bad_key` when it is damaged, too large or not a file.
 */
export async function readDeviceSigner(
  paths: Pick<AuditPaths, "signingKey">,
  purpose: string,
): Promise<DeviceKeys["signer"]> {
  let key: SigningKeyFile | undefined;
  try {
    // Loaded here only: its node:fs stays off thoth run's path (see read_small_regular_file.ts).
    const { readSmallRegularFile } = await import("../platform/read_small_regular_file.ts");
    key = await readJson<SigningKeyFile>(
      paths.signingKey,
      (path) => readSmallRegularFile(path, SIGNING_KEY_FILE_LIMIT),
    );
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    if (cause instanceof FileOverLimitError || cause instanceof Deno.errors.InvalidData) {
      throw new AppError(
        "audit.bad_key",
        `cannot ${purpose}: the audit signing key "${paths.signingKey}" is not a key file: ` +
          cause.message,
        {
          hints: [
            'restore it from a backup of this profile; run "thoth doctor" for what to do if it is lost',
          ],
          cause,
        },
      );
    }
    const why = cause instanceof Deno.errors.PermissionDenied ||
        cause instanceof Deno.errors.NotCapable
      ? "permission denied"
      : cause instanceof Error
      ? cause.message
      : String(cause);
    throw new AppError(
      "audit.no_signing_key",
      `cannot ${purpose}: cannot read the audit signing key "${paths.signingKey}": ${why}`,
      {
        hints: [
          "run the command on the device that wrote the log, as the user thoth runs as (only that user can read the key)",
        ],
        cause,
      },
    );
  }
  if (key === undefined || key === null || typeof key !== "object") {
    throw new AppError(
      "audit.no_signing_key",
      `cannot ${purpose}: there is no audit signing key at "${paths.signingKey}"`,
      {
        hints: [
          "run the command on the device that wrote the log, under its THOTH_HOME; thoth makes the key with the log's first record",
        ],
      },
    );
  }
  if (
    typeof key.name !== "string" || typeof key.pkcs8 !== "string" ||
    typeof key.publicKey !== "string"
  ) {
    throw new AppError("audit.bad_key", `the audit signing key "${paths.signingKey}" is damaged`, {
      hints: ["restore it from a backup"],
    });
  }
  return await importSigner(key, paths.signingKey);
}

/**
 * When the device's first signing key was made (the history's first entry,
 * else the signing key file), "an unknown date" for a key file that cannot
 * be read as one, or null when there is no signing key. An HMAC key alone is
 * no trace of a log: a writer killed while it made the keys leaves one.
 */
export async function firstKeyCreated(
  paths: Pick<AuditPaths, "publicKeys" | "signingKey">,
): Promise<string | null> {
  const source = sourceOf(paths.signingKey);
  if (source !== undefined) return await source.firstCreated();
  for (const path of [paths.publicKeys, paths.signingKey]) {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(await readRegularFile(path)));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      return "an unknown date"; // It is there, but not readable as a key file.
    }
    if (Array.isArray(value) && value.length === 0) continue;
    const entry: unknown = Array.isArray(value) ? value[0] : value;
    const created = entry !== null && typeof entry === "object"
      ? (entry as Record<string, unknown>)["created"]
      : undefined;
    return typeof created === "string" ? created : "an unknown date";
  }
  return null;
}

/** Reads the public key history (empty when there is none). */
export async function readPublicKeys(path: string): Promise<PublicKeyEntry[]> {
  return (await readJson<PublicKeyEntry[]>(path)) ?? [];
}

/** Turns history entries into note verifiers, skipping malformed ones. */
export function verifiersOf(entries: readonly PublicKeyEntry[]): NoteVerifier[] {
  const out: NoteVerifier[] = [];
  for (const entry of entries) {
    const publicKey = typeof entry.publicKey === "string" ? fromBase64(entry.publicKey) : undefined;
    if (publicKey !== undefined && publicKey.length === 32 && typeof entry.name === "string") {
      out.push({ name: entry.name, publicKey });
    }
  }
  return out;
}

async function generateSigningKey(name: string, now: Date): Promise<SigningKeyFile> {
  const { pkcs8, publicKey } = await newNoteKeyPair();
  return {
    name,
    keyHash: await noteKeyHash(name, publicKey),
    pkcs8: toBase64(pkcs8),
    publicKey: toBase64(publicKey),
    created: now.toISOString(),
  };
}

async function publicEntry(key: SigningKeyFile): Promise<PublicKeyEntry> {
  const publicKey = fromBase64(key.publicKey)!;
  return {
    name: key.name,
    keyHash: key.keyHash,
    publicKey: key.publicKey,
    verifierKey: await noteVerifierKey(key.name, publicKey),
    created: key.created,
  };
}

async function importSigner(key: SigningKeyFile, path: string): Promise<DeviceKeys["signer"]> {
  const pkcs8 = fromBase64(key.pkcs8);
  const publicKey = fromBase64(key.publicKey);
  if (pkcs8 === undefined || publicKey === undefined || publicKey.length !== 32) {
    throw new AppError("audit.bad_key", `the audit signing key "${path}" is damaged`, {
      // A key moved aside beside a log with records is not made anew: see lost_key_remedy.ts.
      hints: [
        'restore it from a backup of this profile; run "thoth doctor" for what to do if it is lost',
      ],
    });
  }
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, "Ed25519", false, ["sign"]);
  return { name: key.name, privateKey, publicKey, keyHash: key.keyHash };
}

async function loadOrCreateHmacKey(
  path: string,
  beforeNewKey: () => Promise<void>,
  thothHome: string,
): Promise<{ key: CryptoKey; raw: Uint8Array<ArrayBuffer> }> {
  let raw: Uint8Array<ArrayBuffer> | undefined;
  let text: string | undefined;
  try {
    text = new TextDecoder().decode(await readRegularFile(path));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (text !== undefined) {
    raw = fromBase64(text.trim());
    // Never replaced silently: digests made with it could no longer be checked.
    if (raw === undefined || raw.length !== 32) {
      throw new AppError("audit.bad_key", `the audit HMAC key "${path}" is empty or damaged`, {
        hints: damagedHmacKeyHints(thothHome),
      });
    }
  } else {
    await beforeNewKey();
    raw = crypto.getRandomValues(new Uint8Array(32));
    await writeSecret(path, toBase64(raw) + "\n");
  }
  const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return { key, raw };
}

async function readJson<T>(
  path: string,
  read: (path: string) => Promise<Uint8Array> = readRegularFile,
): Promise<T | undefined> {
  let text: string;
  try {
    // Only a regular file: a FIFO in its place would hold thoth run for ever.
    text = new TextDecoder().decode(await read(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new AppError("audit.bad_key", `the audit key file "${path}" is not valid JSON`, {
      hints: ['restore it from a backup; run "thoth doctor" for what to do if it is lost'],
      cause,
    });
  }
}

/**
 * Replaces a key file whole, synced with its folder: a power cut leaves the
 * old key or the new one, never an empty file or a key that was not there.
 * A link in its place is refused, not followed.
 */
async function writeSecret(path: string, text: string): Promise<void> {
  await atomicWrite(path, new TextEncoder().encode(text), { mode: 0o600, refuseLink: true });
}
