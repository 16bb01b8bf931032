/**
 * The release signing key file: JSON `{ "name", "pkcs8", "publicKey" }`
 * (base64), kept by release engineering, never in this repository. The build
 * reads it from the path in `THOTH_RELEASE_SIGNING_KEY`; `newReleaseKey`
 * makes one and gives the verifier key to put in `release_keys.ts`.
 *
 * @example
 * ```ts
 * const { file, verifierKey } = await newReleaseKey("acme-release");
 * const signer = await readReleaseSigner(JSON.stringify(file), "release.key");
 * ```
 */
import { AppError } from "../errors.ts";
import { fromBase64, toBase64 } from "../audit/encoding.ts";
import {
  isValidKeyName,
  newNoteKeyPair,
  type NoteSigner,
  noteVerifierKey,
} from "../audit/signed_note.ts";

/** The stored form of a release signing key. */
export interface ReleaseKeyFile {
  name: string;
  pkcs8: string;
  publicKey: string;
}

/** A new Ed25519 release key: the file to keep secret and its public verifier key. */
export async function newReleaseKey(
  name: string,
): Promise<{ file: ReleaseKeyFile; verifierKey: string }> {
  if (!isValidKeyName(name)) {
    throw new AppError("release.bad_key_name", `"${name}" cannot name a key`, {
      hints: ["use letters, digits, dots and dashes, without spaces or +"],
      exitCode: 2,
    });
  }
  const { pkcs8, publicKey } = await newNoteKeyPair();
  return {
    file: { name, pkcs8: toBase64(pkcs8), publicKey: toBase64(publicKey) },
    verifierKey: await noteVerifierKey(name, publicKey),
  };
}

/** Reads a release key file's text (`source` names it in errors). */
export async function readReleaseSigner(text: string, source: string): Promise<NoteSigner> {
  const bad = () =>
    new AppError("release.bad_signing_key", `"${source}" is not a release signing key file`, {
      hints: ['it holds JSON { "name", "pkcs8", "publicKey" } as newReleaseKey writes it'],
    });
  let value: Partial<ReleaseKeyFile>;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad();
  }
  const pkcs8 = typeof value.pkcs8 === "string" ? fromBase64(value.pkcs8) : undefined;
  const publicKey = typeof value.publicKey === "string" ? fromBase64(value.publicKey) : undefined;
  if (
    typeof value.name !== "string" || !isValidKeyName(value.name) || pkcs8 === undefined ||
    publicKey === undefined || publicKey.length !== 32
  ) {
    throw bad();
  }
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, "Ed25519", false, ["sign"]);
  } catch {
    throw bad();
  }
  return { name: value.name, privateKey, publicKey };
}
