/**
 * The release signing keys a thoth binary trusts for `thoth update`, as C2SP
 * verifier keys (`name+hash+base64`). Release engineering adds the public
 * half of its signing key here before building a release; the private half
 * never enters this repository (`scripts/build.ts` reads it from
 * `THOTH_RELEASE_SIGNING_KEY` and signs `checksums.sha256`). A fleet that
 * builds and signs its own releases sets `THOTH_RELEASE_VERIFIER_KEY` on its
 * machines instead. With no key at all, `thoth update` refuses to install.
 *
 * @example
 * ```ts
 * releaseVerifierKeys({ THOTH_RELEASE_VERIFIER_KEY: "acme-release+1a2b3c4d+AQ…" });
 * ```
 */

/** The keys built into this binary. */
export const RELEASE_VERIFIER_KEYS: readonly string[] = [];

/** The built-in keys plus those in `THOTH_RELEASE_VERIFIER_KEY` (separated by commas or spaces). */
export function releaseVerifierKeys(
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const extra = (env["THOTH_RELEASE_VERIFIER_KEY"] ?? "").split(/[\s,]+/).filter((k) => k !== "");
  return [...RELEASE_VERIFIER_KEYS, ...extra];
}
