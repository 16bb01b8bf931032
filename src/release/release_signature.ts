/**
 * The signature that makes a release authentic: a C2SP signed note, served
 * beside `checksums.sha256` as `checksums.sha256.sig`, whose text is
 * `thoth release <version>` on one line, `commit <commit>` (the source commit
 * the build stamped) on the next, followed by the checksums file. A checksum
 * alone only proves the download matches what the same server claims; the
 * signature proves release engineering published that version, built from
 * that commit, with those digests, so neither a spoofed server nor an old
 * release served under a new version number can install a binary.
 *
 * A note without the commit line (the format before it was added) still
 * verifies; a commit line that is present must be well formed, and the whole
 * text must be exactly what {@linkcode signRelease} signs for it.
 *
 * @example
 * ```ts
 * const note = await signRelease("0.4.0", checksumsText, signer, "abc1234def56");
 * const { commit } = await verifyRelease(note, "0.4.0", checksumsText, ["thoth-release+1a2b3c4d+AQ…"]);
 * commit; // "abc1234def56"
 * ```
 */
import { AppError } from "../errors.ts";
import {
  type NoteSigner,
  type NoteVerifier,
  openNote,
  parseVerifierKey,
  signNote,
} from "../audit/signed_note.ts";

/**
 * A commit as the build stamps it: 12 to 40 hex digits, `-dirty` when the
 * tree had uncommitted changes, or `unknown` outside git.
 */
const COMMIT = /^(?:[0-9a-f]{12,40}(?:-dirty)?|unknown)$/;

/** Whether `commit` is a commit as the build stamps it (see `COMMIT`). */
export function isReleaseCommit(commit: string): boolean {
  return COMMIT.test(commit);
}

/** Whether a build of `commit` is not a clean, known commit (`…-dirty` or `unknown`). */
export function isUncommittedBuild(commit: string): boolean {
  return commit === "unknown" || commit.endsWith("-dirty");
}

/**
 * The text a release signature covers; without `commit`, the older format
 * (version and checksums only), which is only ever verified, never signed.
 *
 * @example
 * ```ts
 * releaseNoteText("0.4.0", "ab…  thoth-linux-x86_64\n", "abc1234def56");
 * // "thoth release 0.4.0\ncommit abc1234def56\nab…  thoth-linux-x86_64\n"
 * ```
 */
export function releaseNoteText(version: string, checksums: string, commit?: string): string {
  return `thoth release ${version}\n${commit === undefined ? "" : `commit ${commit}\n`}${
    checksums.endsWith("\n") ? checksums : checksums + "\n"
  }`;
}

/**
 * Signs a release: its version, the commit it was built from and its
 * checksums (the build does this when it has the release signing key).
 *
 * @example
 * ```ts
 * await signRelease("0.4.0", checksumsText, signer, "abc1234def56");
 * ```
 */
export function signRelease(
  version: string,
  checksums: string,
  signer: NoteSigner,
  commit: string,
): Promise<string> {
  if (!isReleaseCommit(commit)) {
    throw new AppError("release.bad_commit", `"${commit.slice(0, 80)}" is not a build commit`, {
      hints: ["the build stamps 12 hex digits of git HEAD, with -dirty, or unknown"],
    });
  }
  return signNote(releaseNoteText(version, checksums, commit), signer);
}

/**
 * Parses release verifier keys (C2SP `name+hash+base64`); throws
 * `release.bad_verifier_key` (exit 2) naming the first that is not one, so
 * that a mistyped `THOTH_RELEASE_VERIFIER_KEY` is reported before anything is
 * downloaded.
 *
 * @example
 * ```ts
 * await parseReleaseVerifierKeys(["thoth-release+1a2b3c4d+AQ…"]);
 * ```
 */
export async function parseReleaseVerifierKeys(
  verifierKeys: readonly string[],
): Promise<NoteVerifier[]> {
  const verifiers: NoteVerifier[] = [];
  for (const key of verifierKeys) {
    const verifier = await parseVerifierKey(key.trim());
    if (verifier === undefined) {
      throw new AppError(
        "release.bad_verifier_key",
        `"${key.slice(0, 200)}" is not a release verifier key`,
        {
          hints: [
            "a verifier key looks like name+8 hex digits+base64, as `thoth` prints it; " +
            "fix or unset THOTH_RELEASE_VERIFIER_KEY (keys separated by commas or spaces)",
          ],
          exitCode: 2,
        },
      );
    }
    verifiers.push(verifier);
  }
  return verifiers;
}

/** What a verified release signature says beyond the version and checksums it was checked for. */
export interface VerifiedRelease {
  /** The signed build commit; undefined for a note in the older format without one. */
  readonly commit: string | undefined;
}

/**
 * Checks that `note` signs exactly this version and these checksums (and the
 * commit line it carries, when it carries one) with one of `verifierKeys`
 * (C2SP verifier keys). Throws `release.*` otherwise.
 *
 * @example
 * ```ts
 * const { commit } = await verifyRelease(note, "0.4.0", checksumsText, trustedKeys);
 * ```
 */
export async function verifyRelease(
  note: string,
  version: string,
  checksums: string,
  verifierKeys: readonly string[],
): Promise<VerifiedRelease> {
  const verifiers = await parseReleaseVerifierKeys(verifierKeys);
  const opened = await openNote(note, verifiers);
  if (opened === undefined) {
    throw new AppError("release.bad_signature", "the release signature is not a signed note", {
      hints: ["the release is damaged or was not published by thoth's build; nothing was changed"],
    });
  }
  if (opened.verified.length === 0) {
    const signedBy = opened.signatures.map((s) => `${s.name} (key hash ${s.keyHash})`).join(", ");
    const trusted = verifierKeys.map((k) => k.trim().split("+").slice(0, 2).join("+"));
    throw new AppError(
      "release.bad_signature",
      opened.invalid.length > 0
        ? `the release signature by ${signedBy} does not verify`
        : `the release is signed by ${signedBy}, which is not a trusted release key ` +
          `(trusted: ${trusted.join(", ")})`,
      {
        hints: opened.invalid.length > 0
          ? ["the release is damaged or was tampered with; nothing was changed"]
          : [
            "refusing to install a release that cannot be authenticated; nothing was changed",
            "if the release key was rotated, set THOTH_RELEASE_VERIFIER_KEY to the new verifier " +
            "key, obtained from the release's publisher by a channel you trust",
          ],
      },
    );
  }
  const lines = opened.text.split("\n");
  const second = lines[1] ?? "";
  let commit: string | undefined;
  if (lines[0] === `thoth release ${version}` && second.startsWith("commit ")) {
    commit = second.slice("commit ".length);
    if (!isReleaseCommit(commit)) {
      throw new AppError(
        "release.bad_signature",
        `the release signature names the commit "${commit.slice(0, 80)}", which is not one`,
        { hints: ["the release was not signed by thoth's build; nothing was changed"] },
      );
    }
  }
  if (opened.text !== releaseNoteText(version, checksums, commit)) {
    throw new AppError(
      "release.bad_signature",
      `the release signature covers another version or other checksums than release ${version}`,
      { hints: ["the manifest and the signed checksums disagree; nothing was changed"] },
    );
  }
  return { commit };
}
