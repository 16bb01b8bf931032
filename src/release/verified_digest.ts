/**
 * The SHA-256 a signed release lists for an asset: nothing past the
 * checksums is fetched, and nothing is run, before a trusted release key's
 * signature over them holds (see `release_signature.ts`).
 */
import { AppError } from "../errors.ts";
import { parseChecksums } from "./checksums.ts";
import { checkUpdateUrl, signatureUrl } from "./update_url.ts";
import { displayUrl } from "./display_url.ts";
import { isUncommittedBuild, verifyRelease } from "./release_signature.ts";
import { fetchBounded } from "./fetch_bounded.ts";
import type { Release } from "./update_request.ts";

/**
 * Fetches `checksums.sha256` and its signature, checks that one of
 * `verifierKeys` signed them for this version, and returns the SHA-256 they
 * list for `asset`. Throws `release.*`.
 *
 * @example
 * ```ts
 * const { sha256, commit } = await verifiedDigest(release, "thoth-x86_64-unknown-linux-gnu", keys);
 * ```
 */
export async function verifiedDigest(
  release: Release,
  asset: string,
  verifierKeys: readonly string[],
): Promise<{ sha256: string; commit: string | undefined }> {
  const { manifest, manifestUrl, doFetch, progress, deps, text } = release;
  const binary = deps.binary ?? "thoth";
  const checksumsUrl = checkUpdateUrl(manifest.checksums, manifestUrl.href, "manifest");
  const sigUrl = signatureUrl(checksumsUrl);
  progress(`fetching ${displayUrl(checksumsUrl)}`);
  const checksumsText = new TextDecoder().decode(
    await fetchBounded(doFetch, checksumsUrl, "checksums", text),
  );
  progress(`fetching ${displayUrl(sigUrl)}`);
  const signature = new TextDecoder().decode(
    await fetchBounded(doFetch, sigUrl, "release signature", text),
  );
  const { commit } = await verifyRelease(signature, manifest.version, checksumsText, verifierKeys);
  progress(
    `verified the release signature of ${binary} ${manifest.version}` +
      (commit === undefined ? "" : ` (commit ${commit})`),
  );
  if (commit !== undefined && isUncommittedBuild(commit)) {
    progress(
      `warning: ${binary} ${manifest.version} was signed as a build of ${
        commit === "unknown" ? "no known commit" : "uncommitted changes"
      } (commit ${commit})`,
    );
  }
  const expected = parseChecksums(checksumsText).get(asset);
  if (expected === undefined) {
    throw new AppError(
      "release.checksum_missing",
      `checksums.sha256 of release ${manifest.version} does not list "${asset}"`,
      { hints: ["the release is incomplete; nothing was changed"] },
    );
  }
  return { sha256: expected, commit };
}
