/**
 * `thoth update`: fetch the release manifest, pick this platform's asset,
 * fetch `checksums.sha256` and its signature, check that a trusted release
 * key signed this version with these checksums (see `release_signature.ts`),
 * download the asset, verify its SHA-256, and replace the installed binary so
 * that at every moment a working thoth is in place (`install_binary.ts`).
 * Nothing is downloaded past the checksums, and nothing is ever run, before
 * the signature holds.
 *
 * One update at a time: from the first download to the cleanup, an update
 * holds the lock `.thoth.update-lock` beside the binary (`update_lock.ts`); a
 * second one fails at once with `release.update_in_progress`. Once it holds
 * the lock, it asks the installed binary for its version (`--version`) and
 * decides again: another update may have installed a newer release since
 * this one read its manifest, and that is never replaced by an older one.
 *
 * Every download has an overall deadline (`downloadTimeoutMs`, 15 minutes by
 * default) besides the stall timer: a server that trickles a byte now and
 * then cannot hold the lock for hours. The verifier keys are parsed before
 * anything is fetched.
 *
 * A manifest that offers an older release than the one installed is
 * reported as `older_offered`, not as current: the mirror may be stale, or
 * rolled back.
 *
 * `--check` changes nothing and takes no lock, but says "available" only for
 * a release it verified as an update would: the signed checksums must list
 * this platform's asset. A newer version it cannot verify (no trusted key, no
 * or a bad signature, checksums it cannot fetch) is reported as
 * "unverified", with the reason.
 *
 * Every URL it prints, in progress lines, errors and hints, is shown by
 * `displayUrl` (`display_url.ts`): no user, password, query or fragment, which
 * may hold a token. What is fetched is the URL as given.
 *
 * Everything the outside world provides (paths, platform, fetch, the current
 * version) is injected, so tests can point it at a temp "installed" binary and
 * a loopback server.
 *
 * The steps are in the modules named for them: `fetch_bounded.ts` (one
 * bounded download), `verified_digest.ts` (the signed checksums),
 * `update_binary.ts` and `update_companion.ts` (one binary brought up to the
 * release), `installed_version.ts` (what is installed now).
 *
 * @example
 * ```ts
 * const result = await selfUpdate(
 *   { manifestUrl: "https://releases.example/thoth/latest.json", force: false, checkOnly: false },
 *   { execPath: Deno.execPath(), os: Deno.build.os, arch: Deno.build.arch, currentVersion: "0.1.0" },
 * );
 * result.status; // "updated" | "current" | "available" | "unverified"
 * ```
 */
import { AppError } from "../errors.ts";
import { parseReleaseManifest, releaseChannelHint } from "./release_manifest.ts";
import { checkUpdateUrl } from "./update_url.ts";
import { displayUrl } from "./display_url.ts";
import { parseReleaseVerifierKeys } from "./release_signature.ts";
import { type Bounds, fetchBounded } from "./fetch_bounded.ts";
import { BUILT_IN_CHANNEL } from "./built_in_channel.ts";
import { updateBinary } from "./update_binary.ts";
import { updateCompanion } from "./update_companion.ts";
import {
  type CompanionResult,
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  type Release,
  type UpdateDeps,
  type UpdateRequest,
  type UpdateResult,
} from "./update_request.ts";

// The steps live in the modules named for them; code that imports them from here keeps working.
export {
  type CompanionResult,
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  DEFAULT_MAX_ASSET_BYTES,
  type UnverifiedReason,
  type UpdateDeps,
  type UpdateRequest,
  type UpdateResult,
} from "./update_request.ts";

const MAX_TEXT_BYTES = 1024 * 1024;
const DEFAULT_STALL_MS = 60_000;

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Whether an executable path is the Deno CLI itself (thoth running from source). */
export function isDenoExecutable(execPath: string): boolean {
  const base = basename(execPath).toLowerCase();
  return base === "deno" || base === "deno.exe";
}

/** Runs one `thoth update`. Throws `AppError` (`release.*`) on every failure. */
export async function selfUpdate(request: UpdateRequest, deps: UpdateDeps): Promise<UpdateResult> {
  const binary = deps.binary ?? "thoth";
  const progress = deps.progress ?? (() => {});
  const doFetch = deps.fetch ?? fetch;
  const path = deps.execPath;
  if (isDenoExecutable(path)) {
    throw new AppError(
      "release.not_compiled",
      `${binary} update works on a compiled ${binary} binary`,
      {
        hints: [
          `this ${binary} runs from source under "${path}"; update the source tree instead (git pull)`,
          `or install a release binary and run "${binary} update" with it`,
        ],
      },
    );
  }
  if (request.manifestUrl === "") {
    const channel = deps.channel ?? BUILT_IN_CHANNEL;
    throw new AppError(
      "release.no_manifest_url",
      "no release manifest URL is configured",
      { hints: [releaseChannelHint(channel)], exitCode: 2 },
    );
  }
  const manifestUrl = checkUpdateUrl(request.manifestUrl);
  const verifierKeys = deps.verifierKeys ?? [];
  // A mistyped THOTH_RELEASE_VERIFIER_KEY is this machine's to fix: said before anything is fetched.
  await parseReleaseVerifierKeys(verifierKeys);
  const stallMs = deps.stallMs ?? DEFAULT_STALL_MS;
  const deadlineMs = deps.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  const text: Bounds = { maxBytes: MAX_TEXT_BYTES, stallMs, deadlineMs };

  progress(`fetching release manifest ${displayUrl(manifestUrl)}`);
  const manifestBytes = await fetchBounded(doFetch, manifestUrl, "release manifest", text);
  const manifest = parseReleaseManifest(new TextDecoder().decode(manifestBytes));
  const release: Release = { manifest, manifestUrl, doFetch, progress, deps, text };
  const lockPath = lockPathFor(path, deps.os);
  const result = await updateBinary(request, release, verifierKeys, {
    binary,
    path,
    current: deps.currentVersion,
    lockPath,
  });
  const companions: CompanionResult[] = [];
  for (const name of deps.companions ?? []) {
    const companion = await updateCompanion(request, release, verifierKeys, name, lockPath);
    if (companion !== undefined) companions.push(companion);
  }
  return companions.length === 0 ? result : { ...result, companions };
}

/** `.thoth.update-lock` beside the binary at `path`. */
function lockPathFor(path: string, os: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
  return `${dir}${os === "windows" ? "\\" : "/"}.${basename(path)}.update-lock`;
}
