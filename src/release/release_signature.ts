/**
 * The signature that makes a release authentic: a C2SP signed note, served
 * beside `checksums.sha256` as `checksums.sha256.sig`, whose text is
 * `thoth release <version>` on one line followed by the checksums file. A
 * checksum alone only proves the download matches what the same server
 * claims; the signature proves release engineering published that version
 * with those digests, so neither a spoofed server nor an old release served
 * under a new version number can install a binary.
 *
 * @example
 * ```ts
 * const note = await signRelease("0.4.0", checksumsText, signer);
 * await verifyRelease(note, "0.4.0", checksumsText, ["thoth-release+1a2b3c4d+AQ…"]);
 * ```
 */
import { AppError } from "../errors.ts";
import { type NoteSigner, openNote, parseVerifierKey, signNote } from "../audit/signed_note.ts";

/** The text a release signature covers. */
export function releaseNoteText(version: string, checksums: string): string {
  return `thoth release ${version}\n${checksums.endsWith("\n") ? checksums : checksums + "\n"}`;
}

/** Signs a release (the build does this when it has the release signing key). */
export function signRelease(
  version: string,
  checksums: string,
  signer: NoteSigner,
): Promise<string> {
  return signNote(releaseNoteText(version, checksums), signer);
}

/**
 * Checks that `note` signs exactly this version and these checksums with one
 * of `verifierKeys` (C2SP verifier keys). Throws `release.*` otherwise.
 */
export async function verifyRelease(
  note: string,
  version: string,
  checksums: string,
  verifierKeys: readonly string[],
): Promise<void> {
  const verifiers = [];
  for (const key of verifierKeys) {
    const verifier = await parseVerifierKey(key.trim());
    if (verifier === undefined) {
      throw new AppError("release.bad_verifier_key", `"${key}" is not a release verifier key`, {
        hints: ["a verifier key looks like name+8 hex digits+base64, as `thoth` prints it"],
        exitCode: 2,
      });
    }
    verifiers.push(verifier);
  }
  const opened = await openNote(note, verifiers);
  if (opened === undefined) {
    throw new AppError("release.bad_signature", "the release signature is not a signed note", {
      hints: ["the release is damaged or was not published by thoth's build; nothing was changed"],
    });
  }
  if (opened.verified.length === 0) {
    throw new AppError(
      "release.bad_signature",
      opened.invalid.length > 0
        ? "the release signature does not verify"
        : "the release is not signed by a trusted release key",
      {
        hints: ["refusing to install a release that cannot be authenticated; nothing was changed"],
      },
    );
  }
  if (opened.text !== releaseNoteText(version, checksums)) {
    throw new AppError(
      "release.bad_signature",
      `the release signature covers another version or other checksums than release ${version}`,
      { hints: ["the manifest and the signed checksums disagree; nothing was changed"] },
    );
  }
}
