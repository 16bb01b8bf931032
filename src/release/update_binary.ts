/**
 * One binary brought up to the release a fetched manifest names, as the
 * module doc of `self_update.ts` tells: never to an older one, `--check`
 * changing nothing, and, under the update lock, the installed version asked
 * again before the verified asset replaces it.
 */
import { AppError } from "../errors.ts";
import { pickAsset, type ReleaseChannel, releaseChannelHint } from "./release_manifest.ts";
import { compareVersions } from "./semver.ts";
import { sha256Hex } from "./sha256.ts";
import { checkUpdateUrl } from "./update_url.ts";
import { displayUrl } from "./display_url.ts";
import { installBinary } from "./install_binary.ts";
import { UpdateLock } from "./update_lock.ts";
import { fetchBounded } from "./fetch_bounded.ts";
import { BUILT_IN_CHANNEL } from "./built_in_channel.ts";
import { installedVersion } from "./installed_version.ts";
import { verifiedDigest } from "./verified_digest.ts";
import {
  DEFAULT_MAX_ASSET_BYTES,
  type Release,
  type UpdateRequest,
  type UpdateResult,
} from "./update_request.ts";

/** One binary to bring up to the manifest's release. */
export interface Target {
  readonly binary: string;
  readonly path: string;
  /** The version installed, as far as is known before the lock. */
  readonly current: string;
  /** The lock every update of this installation takes (the main binary's). */
  readonly lockPath: string;
}

/**
 * Updates one binary to the release `release` names; see the module doc for
 * the steps. Throws `release.*`.
 *
 * @example
 * ```ts
 * await updateBinary(request, release, keys, {
 *   binary: "thoth", path: "/usr/local/bin/thoth", current: "0.1.0", lockPath: "/usr/local/bin/.thoth.update-lock",
 * }); // { status: "updated", current: "0.1.0", latest: "0.2.0", … }
 * ```
 */
export async function updateBinary(
  request: UpdateRequest,
  release: Release,
  verifierKeys: readonly string[],
  target: Target,
): Promise<UpdateResult> {
  const { manifest, manifestUrl, doFetch, progress, deps, text } = release;
  const { binary, path } = target;
  const { stallMs, deadlineMs } = text;
  const latest = manifest.version;
  const current = target.current;
  const order = compareVersions(latest, current);
  if (order < 0 && !request.force) {
    progress(olderOfferedWarning(binary, latest, current, manifestUrl));
    return { status: "older_offered", current, latest, path };
  }
  if (request.checkOnly) {
    const asset = pickAsset(manifest, binary, deps.os, deps.arch);
    if (order === 0) return { status: "current", current, latest, asset, path };
    try {
      if (verifierKeys.length === 0) throw noVerifierKey(binary, deps.channel ?? BUILT_IN_CHANNEL);
      checkUpdateUrl(manifest.assets[asset] as string, manifestUrl.href, "manifest");
      const verified = await verifiedDigest(release, asset, verifierKeys);
      return {
        status: "available",
        current,
        latest,
        asset,
        sha256: verified.sha256,
        path,
        ...(verified.commit === undefined ? {} : { commit: verified.commit }),
      };
    } catch (error) {
      // A key that does not parse is this machine's setting to fix, not the release's fault.
      if (!(error instanceof AppError) || error.code === "release.bad_verifier_key") throw error;
      const reason = { code: error.code, message: error.message, hints: error.hints };
      return { status: "unverified", current, latest, asset, path, reason };
    }
  }
  if (order === 0 && !request.force) {
    return { status: "current", current, latest, path };
  }
  if (order < 0) throw downgrade(binary, latest, current);
  if (verifierKeys.length === 0) throw noVerifierKey(binary, deps.channel ?? BUILT_IN_CHANNEL);
  const asset = pickAsset(manifest, binary, deps.os, deps.arch);
  const assetUrl = checkUpdateUrl(manifest.assets[asset] as string, manifestUrl.href, "manifest");

  const lock = await UpdateLock.take(target.lockPath, path, binary);
  try {
    // Decided again under the lock: another update may have installed something meanwhile.
    const installed = await installedVersion(path, binary, deps.versionTimeoutMs ?? 30_000);
    const now = compareVersions(latest, installed);
    if (now < 0) {
      throw new AppError(
        "release.downgrade",
        `${path} is now ${binary} ${installed} (another update installed it while this one ` +
          `read the manifest offering ${latest}); ${binary} update does not downgrade`,
        {
          hints: [
            `nothing was changed; the manifest at ${
              displayUrl(manifestUrl)
            } may be stale: check which release it should offer`,
          ],
        },
      );
    }
    if (now === 0 && !request.force) {
      return { status: "current", current: installed, latest, path };
    }
    const verified = await verifiedDigest(release, asset, verifierKeys);
    const expected = verified.sha256;
    progress(`downloading ${asset} from ${displayUrl(assetUrl)}`);
    const bytes = await fetchBounded(doFetch, assetUrl, asset, {
      maxBytes: deps.maxAssetBytes ?? DEFAULT_MAX_ASSET_BYTES,
      stallMs,
      deadlineMs,
      asset: true,
    });
    const actual = await sha256Hex(bytes);
    if (actual !== expected) {
      throw new AppError(
        "release.checksum_mismatch",
        `"${asset}" has SHA-256 ${actual}, but checksums.sha256 says ${expected}; refusing to install it`,
        { hints: ["the download was corrupted or tampered with; nothing was changed"] },
      );
    }
    progress(`verified SHA-256 ${actual}`);
    await installBinary({
      path,
      bytes,
      os: deps.os,
      binary,
      version: latest,
      previous: installed,
      versionTimeoutMs: deps.versionTimeoutMs ?? 30_000,
      progress,
    });
    return {
      status: "updated",
      current: installed,
      latest,
      asset,
      sha256: actual,
      path,
      ...(verified.commit === undefined ? {} : { commit: verified.commit }),
    };
  } finally {
    lock.release();
  }
}

/** The warning for a manifest that offers an older release than the one installed. */
function olderOfferedWarning(binary: string, latest: string, current: string, url: URL): string {
  return `warning: the release manifest ${
    displayUrl(url)
  } offers ${binary} ${latest}, older than the installed ${current}: the mirror may be stale ` +
    "or rolled back; nothing was changed";
}

function downgrade(binary: string, latest: string, current: string): AppError {
  return new AppError(
    "release.downgrade",
    `the release manifest offers ${latest}, older than the installed ${current}; ` +
      `${binary} update does not downgrade`,
    {
      hints: [
        "--force reinstalls the same version; to go back on purpose, install the older " +
        "release binary by hand",
      ],
    },
  );
}

function noVerifierKey(binary: string, channel: ReleaseChannel): AppError {
  return new AppError(
    "release.no_verifier_key",
    `this ${binary} trusts no release signing key, so it cannot tell a real release from a ` +
      "forged one; nothing was changed",
    {
      hints: [
        releaseChannelHint(channel),
        "or install the new release by hand after checking its signature",
      ],
      exitCode: 2,
    },
  );
}
