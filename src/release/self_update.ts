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
import {
  DEFAULT_RELEASE_MANIFEST_URL,
  parseReleaseManifest,
  pickAsset,
  type ReleaseChannel,
  releaseChannelHint,
  type ReleaseManifest,
} from "./release_manifest.ts";
import { RELEASE_VERIFIER_KEYS } from "./release_keys.ts";
import { compareVersions, parseVersion } from "./semver.ts";
import { sha256Hex } from "./sha256.ts";
import { checkUpdateUrl, signatureUrl } from "./update_url.ts";
import { displayUrl, redactUrls } from "./display_url.ts";
import {
  isUncommittedBuild,
  parseReleaseVerifierKeys,
  verifyRelease,
} from "./release_signature.ts";
import { installBinary, runVersion } from "./install_binary.ts";
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
  /**
   * The release channel built into this binary (default manifest URL and
   * keys), as the errors for a missing URL or key describe it; the built-in
   * one when absent.
   */
  readonly channel?: ReleaseChannel;
  /** How long a download may go without receiving a byte; default 60 s. */
  readonly stallMs?: number;
  /** How long one download may take in all, however steadily it trickles; default 15 min. */
  readonly downloadTimeoutMs?: number;
  /**
   * Binaries installed beside this one to bring to the same release (thoth
   * updates `thothctl`, which has no network permission of its own); each
   * absent one is skipped.
   */
  readonly companions?: readonly string[];
}

/** How the update of a binary beside the main one ended. */
export interface CompanionResult {
  readonly binary: string;
  /** As for the main binary, or `failed` (with `reason`). */
  readonly status: UpdateResult["status"] | "failed";
  readonly current: string;
  readonly latest: string;
  readonly path: string;
  readonly asset?: string;
  readonly sha256?: string;
  readonly commit?: string;
  readonly reason?: UnverifiedReason;
}

/** How an update ended. */
export interface UpdateResult {
  /**
   * `available` (`--check` only) is a newer release whose signature and
   * checksums verified; `unverified` (`--check` only) is a newer version the
   * manifest names that could not be verified, and `reason` says why.
   * `older_offered` is a manifest offering an older release than the one
   * installed: nothing was changed, and the mirror may be stale or rolled back.
   */
  readonly status: "updated" | "current" | "available" | "unverified" | "older_offered";
  readonly current: string;
  readonly latest: string;
  readonly asset?: string;
  /** The asset's SHA-256 from the signed checksums (`updated`, `available`). */
  readonly sha256?: string;
  readonly path: string;
  /** Why the release could not be verified (`unverified` only). */
  readonly reason?: UnverifiedReason;
  /** The build commit the release signature names (`updated`, `available`), when it names one. */
  readonly commit?: string;
  /** The binaries beside this one that were found, and how each ended. */
  readonly companions?: readonly CompanionResult[];
}

/** The failure that kept `--check` from verifying a release. */
export interface UnverifiedReason {
  readonly code: string;
  readonly message: string;
  readonly hints: readonly string[];
}

const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
/** The default cap on an asset's size. */
export const DEFAULT_MAX_ASSET_BYTES = 512 * 1024 * 1024;
/** The default deadline of one download. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

/** How one download is bounded. */
interface Bounds {
  readonly maxBytes: number;
  readonly stallMs: number;
  readonly deadlineMs: number;
  /** Whether this is the asset, whose cap `--max-asset-size` raises. */
  readonly asset?: boolean;
}

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
  what: string,
  bounds: Bounds,
): Promise<Uint8Array> {
  // A server that stops sending must not hold the update (and its lock) for long,
  // nor one that trickles a byte now and then: a stall timer and an overall deadline.
  const stop = new AbortController();
  let why: "stalled" | "deadline" | undefined;
  let received = 0;
  const abort = (reason: "stalled" | "deadline") => () => {
    why ??= reason;
    stop.abort();
  };
  let timer = setTimeout(abort("stalled"), bounds.stallMs);
  const deadline = setTimeout(abort("deadline"), bounds.deadlineMs);
  const alive = (bytes: number) => {
    received += bytes;
    clearTimeout(timer);
    timer = setTimeout(abort("stalled"), bounds.stallMs);
  };
  try {
    return await fetchHops(doFetch, url, what, bounds, stop.signal, alive);
  } catch (error) {
    if (!stop.signal.aborted || why === undefined) throw error;
    if (why === "deadline") {
      throw new AppError(
        "release.download_too_slow",
        `${what} "${displayUrl(url)}" did not finish within ${
          seconds(bounds.deadlineMs)
        } (${received} bytes received); gave up`,
        {
          cause: error,
          hints: [
            "the server sends too slowly; nothing was changed",
            "try again later or from another mirror (--manifest-url), or allow more time " +
            "with --download-timeout SECONDS",
          ],
        },
      );
    }
    throw new AppError(
      "release.download_failed",
      `${what} "${displayUrl(url)}" sent nothing for ${seconds(bounds.stallMs)}; gave up`,
      {
        cause: error,
        hints: ["check the network, then run the update again; nothing was changed"],
      },
    );
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

const DEFAULT_STALL_MS = 60_000;

async function fetchHops(
  doFetch: typeof fetch,
  url: URL,
  what: string,
  bounds: Bounds,
  signal: AbortSignal,
  alive: (bytes: number) => void,
): Promise<Uint8Array> {
  const { maxBytes } = bounds;
  const capHint = bounds.asset === true
    ? [
      `if the release really is this large, raise the cap with --max-asset-size MIB ` +
      `(now ${Math.ceil(maxBytes / 1024 / 1024)} MiB); nothing was changed`,
    ]
    : ["this file should be small: the server may be misconfigured; nothing was changed"];
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
          { hints: ["the server is misconfigured; nothing was changed"] },
        );
      }
      current = checkUpdateUrl(location, current.href, "redirect");
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AppError(
        "release.download_failed",
        `cannot fetch ${what} "${displayUrl(current)}": HTTP ${response.status}`,
        {
          hints: response.status === 404 || response.status === 410
            ? [
              url.href === current.href
                ? "the server has no such file: check the URL (--manifest-url or " +
                  "THOTH_RELEASE_MANIFEST_URL), or the release is incompletely published"
                : "the server has no such file at the address it redirected to: the release " +
                  "is incompletely published",
              "nothing was changed",
            ]
            : response.status === 401 || response.status === 403
            ? ["the server refuses access: a mirror needing a token may want it in the URL's query"]
            : ["the server failed; try again later; nothing was changed"],
        },
      );
    }
    const declared = Number(response.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel();
      throw new AppError(
        "release.download_failed",
        `${what} is ${declared} bytes, over the ${maxBytes}-byte cap`,
        { hints: capHint },
      );
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body !== null) {
      try {
        for await (const chunk of response.body) {
          alive(chunk.length);
          total += chunk.length;
          if (total > maxBytes) {
            throw new AppError(
              "release.download_failed",
              `${what} is over the ${maxBytes}-byte cap`,
              { hints: capHint },
            );
          }
          chunks.push(chunk);
        }
      } catch (error) {
        // The stall timer and the deadline abort the read: fetchBounded words those.
        if (error instanceof AppError || signal.aborted) throw error;
        throw cutOff(what, current, total, declared, error);
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
    { hints: ["the server redirects in a loop; nothing was changed"] },
  );
}

/**
 * The failure of a body the connection stopped sending before its end (a
 * `Content-Length` not reached, a chunked body cut off): what, where, how much
 * arrived, and that nothing was changed.
 */
function cutOff(
  what: string,
  url: URL,
  received: number,
  declared: number,
  cause: unknown,
): AppError {
  const of = Number.isFinite(declared) ? `${received} of ${declared} bytes` : `${received} bytes`;
  return new AppError(
    "release.download_failed",
    `${what} "${displayUrl(url)}": the connection closed after ${of}, before the end ` +
      `(${redactUrls((cause as Error)?.message ?? String(cause))}); nothing was changed`,
    {
      cause,
      hints: [
        "run the update again; if it keeps stopping, check the network or the server " +
        "(a proxy or mirror may cut long downloads; another one can be named with --manifest-url)",
      ],
    },
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

/** One binary to bring up to the manifest's release. */
interface Target {
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
 */
async function updateBinary(
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

/**
 * Brings the binary `name` installed beside the main one (thothctl beside
 * thoth) to the same release: the same manifest, signature check and SHA-256
 * check, under the main binary's lock. Undefined when no such binary is
 * there; a failure is reported in the result, not thrown, since the main
 * binary's update stands.
 */
async function updateCompanion(
  request: UpdateRequest,
  release: Release,
  verifierKeys: readonly string[],
  name: string,
  lockPath: string,
): Promise<CompanionResult | undefined> {
  const { deps, manifest, progress } = release;
  const windows = deps.os === "windows";
  const cut = Math.max(deps.execPath.lastIndexOf("/"), deps.execPath.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : deps.execPath.slice(0, Math.max(cut, 1));
  const path = `${dir}${windows ? "\\" : "/"}${name}${windows ? ".exe" : ""}`;
  try {
    if (!(await Deno.lstat(path)).isFile) return undefined;
  } catch {
    return undefined;
  }
  progress(`${name} is installed beside it: ${path}`);
  try {
    const current = await installedVersion(path, name, deps.versionTimeoutMs ?? 30_000);
    const result = await updateBinary(request, release, verifierKeys, {
      binary: name,
      path,
      current,
      lockPath,
    });
    return { binary: name, ...result };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      binary: name,
      status: "failed",
      current: "unknown",
      latest: manifest.version,
      path,
      reason: { code: error.code, message: error.message, hints: error.hints },
    };
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

/**
 * The version the binary at `path` says it is (`<binary> <version> …` on the
 * first line of `--version`). Throws `release.installed_unknown` when it does
 * not say.
 */
async function installedVersion(path: string, binary: string, timeoutMs: number): Promise<string> {
  const check = await runVersion(path, timeoutMs);
  const words = check.line.split(" ");
  const version = words[0] === binary ? words[1] ?? "" : "";
  if (check.ok && version !== "") {
    try {
      parseVersion(version);
      return version;
    } catch { /* reported below */ }
  }
  throw new AppError(
    "release.installed_unknown",
    `cannot tell which ${binary} is installed at "${path}": "--version" printed "${
      check.line.slice(0, 120) || "nothing"
    }"`,
    {
      hints: [
        `nothing was changed; check that "${path}" is a working ${binary} binary, or install ` +
        "the release by hand",
      ],
    },
  );
}

/** A fetched manifest and how to fetch what it names. */
interface Release {
  readonly manifest: ReleaseManifest;
  readonly manifestUrl: URL;
  readonly doFetch: typeof fetch;
  readonly progress: (line: string) => void;
  readonly deps: UpdateDeps;
  /** How the manifest, checksums and signature downloads are bounded. */
  readonly text: Bounds;
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

/** The release channel built into this binary. */
const BUILT_IN_CHANNEL: ReleaseChannel = {
  manifestUrl: DEFAULT_RELEASE_MANIFEST_URL,
  keys: RELEASE_VERIFIER_KEYS,
};

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

/** `.thoth.update-lock` beside the binary at `path`. */
function lockPathFor(path: string, os: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "." : cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
  return `${dir}${os === "windows" ? "\\" : "/"}.${basename(path)}.update-lock`;
}
