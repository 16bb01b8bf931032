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
 * second one fails at once with `release.update_in_progress`.
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
import { parseChecksums } from "./checksums.ts";
import { parseReleaseManifest, pickAsset, type ReleaseManifest } from "./release_manifest.ts";
import { compareVersions } from "./semver.ts";
import { sha256Hex } from "./sha256.ts";
import { checkUpdateUrl, signatureUrl } from "./update_url.ts";
import { displayUrl, redactUrls } from "./display_url.ts";
import { verifyRelease } from "./release_signature.ts";
import { installBinary } from "./install_binary.ts";
import { UpdateLock } from "./update_lock.ts";

/** What `thoth update` was asked to do. */
export interface UpdateRequest {
  readonly manifestUrl: string;
  /** Reinstall the same version (never an older one). */
  readonly force: boolean;
  /** Report only; change nothing. */
  readonly checkOnly: boolean;
}

/** The outside world `selfUpdate` works against. */
export interface UpdateDeps {
  /** The installed binary to replace (`Deno.execPath()` in a compiled thoth). */
  readonly execPath: string;
  readonly os: string;
  readonly arch: string;
  readonly currentVersion: string;
  /** The binary's name in asset names and in `--version` output. */
  readonly binary?: string;
  readonly fetch?: typeof fetch;
  /** Progress lines for a person (stderr in the CLI). */
  readonly progress?: (line: string) => void;
  /** Cap on the asset's size in bytes. */
  readonly maxAssetBytes?: number;
  /** How long the new binary gets to answer `--version`. */
  readonly versionTimeoutMs?: number;
  /**
   * C2SP verifier keys of the release signing keys this binary trusts. With
   * none, thoth cannot tell a real release from a forged one and refuses to
   * install anything.
   */
  readonly verifierKeys?: readonly string[];
  /** How long a download may go without receiving a byte; default 60 s. */
  readonly stallMs?: number;
}

/** How an update ended. */
export interface UpdateResult {
  /**
   * `available` (`--check` only) is a newer release whose signature and
   * checksums verified; `unverified` (`--check` only) is a newer version the
   * manifest names that could not be verified, and `reason` says why.
   */
  readonly status: "updated" | "current" | "available" | "unverified";
  readonly current: string;
  readonly latest: string;
  readonly asset?: string;
  /** The asset's SHA-256 from the signed checksums (`updated`, `available`). */
  readonly sha256?: string;
  readonly path: string;
  /** Why the release could not be verified (`unverified` only). */
  readonly reason?: UnverifiedReason;
}

/** The failure that kept `--check` from verifying a release. */
export interface UnverifiedReason {
  readonly code: string;
  readonly message: string;
  readonly hints: readonly string[];
}

const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Whether an executable path is the Deno CLI itself (thoth running from source). */
export function isDenoExecutable(execPath: string): boolean {
  const base = basename(execPath).toLowerCase();
  return base === "deno" || base === "deno.exe";
}

async function fetchBounded(
  doFetch: typeof fetch,
  url: URL,
  maxBytes: number,
  what: string,
  stallMs = DEFAULT_STALL_MS,
): Promise<Uint8Array> {
  // A server that stops sending (or trickles nothing) must not hold the update forever.
  const stalled = new AbortController();
  let timer = setTimeout(() => stalled.abort(), stallMs);
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stalled.abort(), stallMs);
  };
  try {
    return await fetchHops(doFetch, url, maxBytes, what, stalled.signal, alive);
  } catch (error) {
    if (!stalled.signal.aborted) throw error;
    throw new AppError(
      "release.download_failed",
      `${what} "${displayUrl(url)}" sent nothing for ${Math.round(stallMs / 1000)} s; gave up`,
      {
        cause: error,
        hints: ["check the network, then run the update again; nothing was changed"],
      },
    );
  } finally {
    clearTimeout(timer);
  }
}

const DEFAULT_STALL_MS = 60_000;

async function fetchHops(
  doFetch: typeof fetch,
  url: URL,
  maxBytes: number,
  what: string,
  signal: AbortSignal,
  alive: () => void,
): Promise<Uint8Array> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      response = await doFetch(current, { redirect: "manual", signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new AppError(
        "release.download_failed",
        `cannot fetch ${what} "${displayUrl(current)}": ${redactUrls((error as Error).message)}`,
        {
          cause: error,
          hints: error instanceof Deno.errors.NotCapable
            ? [
              `this binary may not reach "${current.host}": its permission set in deno.json grants no such net access`,
            ]
            : ["check the URL and the network, then run the update again"],
        },
      );
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (location === null) {
        throw new AppError(
          "release.download_failed",
          `${what} "${displayUrl(current)}" redirects nowhere`,
        );
      }
      current = checkUpdateUrl(location, current.href);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AppError(
        "release.download_failed",
        `cannot fetch ${what} "${displayUrl(current)}": HTTP ${response.status}`,
      );
    }
    const declared = Number(response.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel();
      throw new AppError(
        "release.download_failed",
        `${what} is ${declared} bytes, over the ${maxBytes}-byte cap`,
      );
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body !== null) {
      for await (const chunk of response.body) {
        alive();
        total += chunk.length;
        if (total > maxBytes) {
          throw new AppError("release.download_failed", `${what} is over the ${maxBytes}-byte cap`);
        }
        chunks.push(chunk);
      }
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
  throw new AppError(
    "release.download_failed",
    `${what} redirected more than ${MAX_REDIRECTS} times`,
  );
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
    throw new AppError("release.no_manifest_url", "no release manifest URL is configured", {
      hints: ["pass --manifest-url https://… or set THOTH_RELEASE_MANIFEST_URL"],
      exitCode: 2,
    });
  }
  const manifestUrl = checkUpdateUrl(request.manifestUrl);

  progress(`fetching release manifest ${displayUrl(manifestUrl)}`);
  const manifestBytes = await fetchBounded(
    doFetch,
    manifestUrl,
    MAX_TEXT_BYTES,
    "release manifest",
    deps.stallMs,
  );
  const manifest = parseReleaseManifest(new TextDecoder().decode(manifestBytes));
  const latest = manifest.version;
  const current = deps.currentVersion;
  const newer = compareVersions(latest, current) > 0;
  const verifierKeys = deps.verifierKeys ?? [];
  const release: Release = { manifest, manifestUrl, doFetch, progress, deps };
  if (request.checkOnly) {
    const asset = pickAsset(manifest, binary, deps.os, deps.arch);
    if (!newer) return { status: "current", current, latest, asset, path };
    try {
      if (verifierKeys.length === 0) throw noVerifierKey(binary);
      checkUpdateUrl(manifest.assets[asset] as string, manifestUrl.href);
      const sha256 = await verifiedDigest(release, asset, verifierKeys);
      return { status: "available", current, latest, asset, sha256, path };
    } catch (error) {
      // A key that does not parse is this machine's setting to fix, not the release's fault.
      if (!(error instanceof AppError) || error.code === "release.bad_verifier_key") throw error;
      const reason = { code: error.code, message: error.message, hints: error.hints };
      return { status: "unverified", current, latest, asset, path, reason };
    }
  }
  if (!newer && !request.force) {
    return { status: "current", current, latest, path };
  }
  if (compareVersions(latest, current) < 0) {
    throw new AppError(
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
  if (verifierKeys.length === 0) throw noVerifierKey(binary);
  const asset = pickAsset(manifest, binary, deps.os, deps.arch);
  const assetUrl = checkUpdateUrl(manifest.assets[asset] as string, manifestUrl.href);

  const lock = await UpdateLock.take(lockPathFor(path, deps.os), path, binary);
  try {
    const expected = await verifiedDigest(release, asset, verifierKeys);
    progress(`downloading ${asset} from ${displayUrl(assetUrl)}`);
    const bytes = await fetchBounded(
      doFetch,
      assetUrl,
      deps.maxAssetBytes ?? 512 * 1024 * 1024,
      asset,
      deps.stallMs,
    );
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
      previous: current,
      versionTimeoutMs: deps.versionTimeoutMs ?? 30_000,
      progress,
    });
    return { status: "updated", current, latest, asset, sha256: actual, path };
  } finally {
    lock.release();
  }
}

/** A fetched manifest and how to fetch what it names. */
interface Release {
  readonly manifest: ReleaseManifest;
  readonly manifestUrl: URL;
  readonly doFetch: typeof fetch;
  readonly progress: (line: string) => void;
  readonly deps: UpdateDeps;
}

/**
 * Fetches `checksums.sha256` and its signature, checks that one of
 * `verifierKeys` signed them for this version, and returns the SHA-256 they
 * list for `asset`. Throws `release.*`.
 */
async function verifiedDigest(
  release: Release,
  asset: string,
  verifierKeys: readonly string[],
): Promise<string> {
  const { manifest, manifestUrl, doFetch, progress, deps } = release;
  const binary = deps.binary ?? "thoth";
  const checksumsUrl = checkUpdateUrl(manifest.checksums, manifestUrl.href);
  const sigUrl = signatureUrl(checksumsUrl);
  progress(`fetching ${displayUrl(checksumsUrl)}`);
  const checksumsText = new TextDecoder().decode(
    await fetchBounded(doFetch, checksumsUrl, MAX_TEXT_BYTES, "checksums", deps.stallMs),
  );
  progress(`fetching ${displayUrl(sigUrl)}`);
  const signature = new TextDecoder().decode(
    await fetchBounded(doFetch, sigUrl, MAX_TEXT_BYTES, "release signature", deps.stallMs),
  );
  await verifyRelease(signature, manifest.version, checksumsText, verifierKeys);
  progress(`verified the release signature of ${binary} ${manifest.version}`);
  const expected = parseChecksums(checksumsText).get(asset);
  if (expected === undefined) {
    throw new AppError(
      "release.checksum_missing",
      `checksums.sha256 of release ${manifest.version} does not list "${asset}"`,
      { hints: ["the release is incomplete; nothing was changed"] },
    );
  }
  return expected;
}

function noVerifierKey(binary: string): AppError {
  return new AppError(
    "release.no_verifier_key",
    `this ${binary} trusts no release signing key, so it cannot tell a real release from a ` +
      "forged one; nothing was changed",
    {
      hints: [
        "set THOTH_RELEASE_VERIFIER_KEY to the verifier key your releases are signed with",
        "or install the new release by hand after checking its signature",
      ],
      exitCode: 2,
    },
  );
}

/** `.thoth.update-lock` beside the binary at `path`. */
function lockPathFor(path: string, os: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
  return `${dir}${os === "windows" ? "\\" : "/"}.${basename(path)}.update-lock`;
}
