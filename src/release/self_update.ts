/**
 * `thoth update`: fetch the release manifest, pick this platform's asset,
 * fetch `checksums.sha256` and its signature, check that a trusted release
 * key signed this version with these checksums (see `release_signature.ts`),
 * download the asset, verify its SHA-256, and replace the installed binary so
 * that at every moment a working thoth is in place. Nothing is downloaded
 * past the checksums, and nothing is ever run, before the signature holds:
 *
 * 1. the new binary is written beside the old one (`.thoth.new-…`, mode 0755);
 * 2. POSIX: the old one is hard-linked (or copied) to `thoth.old`, then the
 *    new one is renamed over `thoth` (an atomic replace). Windows: the running
 *    `thoth.exe` is renamed to `thoth.exe.old` (allowed while it runs), then
 *    the new one is moved in;
 * 3. the installed path is run with `--version`; it must exit 0 and print
 *    `thoth <new version>`. Then `.old` is deleted; otherwise the old binary
 *    is moved back and the update fails.
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
 * result.status; // "updated" | "current" | "available"
 * ```
 */
import { AppError } from "../errors.ts";
import { parseChecksums } from "./checksums.ts";
import { parseReleaseManifest, pickAsset } from "./release_manifest.ts";
import { compareVersions } from "./semver.ts";
import { sha256Hex } from "./sha256.ts";
import { checkUpdateUrl } from "./update_url.ts";
import { displayUrl, redactUrls } from "./display_url.ts";
import { verifyRelease } from "./release_signature.ts";

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
  readonly status: "updated" | "current" | "available";
  readonly current: string;
  readonly latest: string;
  readonly asset?: string;
  readonly sha256?: string;
  readonly path: string;
}

const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i < 0 ? "." : i === 0 ? path.slice(0, 1) : path.slice(0, i);
}

function sep(os: string): string {
  return os === "windows" ? "\\" : "/";
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

async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch { /* absent or still in use (Windows); a later update removes it */ }
}

async function runVersion(path: string, timeoutMs: number): Promise<{ ok: boolean; line: string }> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(path, {
      args: ["--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return { ok: false, line: `cannot start: ${(error as Error).message}` };
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
  }, timeoutMs);
  try {
    const out = await child.output();
    const stdout = new TextDecoder().decode(out.stdout).trim();
    const line = stdout.split("\n")[0] ?? "";
    return { ok: out.code === 0, line: out.code === 0 ? line : `exit ${out.code}: ${line}` };
  } finally {
    clearTimeout(timer);
  }
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
  if (request.checkOnly) {
    const asset = pickAsset(manifest, binary, deps.os, deps.arch);
    return { status: newer ? "available" : "current", current, latest, asset, path };
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
  const verifierKeys = deps.verifierKeys ?? [];
  if (verifierKeys.length === 0) {
    throw new AppError(
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
  const asset = pickAsset(manifest, binary, deps.os, deps.arch);

  const assetUrl = checkUpdateUrl(manifest.assets[asset] as string, manifestUrl.href);
  const checksumsUrl = checkUpdateUrl(manifest.checksums, manifestUrl.href);
  const signatureUrl = checkUpdateUrl(`${manifest.checksums}.sig`, manifestUrl.href);
  progress(`fetching ${displayUrl(checksumsUrl)}`);
  const checksumsText = new TextDecoder().decode(
    await fetchBounded(doFetch, checksumsUrl, MAX_TEXT_BYTES, "checksums", deps.stallMs),
  );
  progress(`fetching ${displayUrl(signatureUrl)}`);
  const signature = new TextDecoder().decode(
    await fetchBounded(doFetch, signatureUrl, MAX_TEXT_BYTES, "release signature", deps.stallMs),
  );
  await verifyRelease(signature, latest, checksumsText, verifierKeys);
  progress(`verified the release signature of ${binary} ${latest}`);
  const sums = parseChecksums(checksumsText);
  const expected = sums.get(asset);
  if (expected === undefined) {
    throw new AppError(
      "release.checksum_missing",
      `checksums.sha256 of release ${latest} does not list "${asset}"`,
      {
        hints: ["the release is incomplete; nothing was changed"],
      },
    );
  }
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

  const dir = dirname(path);
  const name = basename(path);
  const s = sep(deps.os);
  const suffix = crypto.randomUUID().slice(0, 8);
  const staged = `${dir}${s}.${name}.new-${suffix}`;
  const backup = `${path}.old`;
  await removeQuietly(backup);
  const backupPath = await exists(backup) ? `${path}.old-${suffix}` : backup;

  try {
    await Deno.writeFile(staged, bytes, { mode: 0o755, createNew: true });
    if (deps.os !== "windows") await Deno.chmod(staged, 0o755);
  } catch (error) {
    await removeQuietly(staged);
    throw new AppError(
      "release.install_failed",
      `cannot write the new binary beside "${path}": ${(error as Error).message}`,
      {
        cause: error,
        hints: ["run the update as the user that owns the installed binary"],
      },
    );
  }

  try {
    if (deps.os === "windows") {
      await Deno.rename(path, backupPath);
      try {
        await Deno.rename(staged, path);
      } catch (error) {
        await Deno.rename(backupPath, path);
        throw error;
      }
    } else {
      try {
        await Deno.link(path, backupPath);
      } catch {
        await Deno.copyFile(path, backupPath);
      }
      await Deno.rename(staged, path);
    }
  } catch (error) {
    await removeQuietly(staged);
    await removeQuietly(backupPath);
    throw new AppError(
      "release.install_failed",
      `cannot replace "${path}": ${(error as Error).message}`,
      {
        cause: error,
        hints: ["nothing was changed; check that the directory is writable"],
      },
    );
  }

  progress(`checking the new binary: ${path} --version`);
  const check = await runVersion(path, deps.versionTimeoutMs ?? 30_000);
  const expectedPrefix = `${binary} ${latest}`;
  if (
    !check.ok || !(check.line === expectedPrefix || check.line.startsWith(`${expectedPrefix} `))
  ) {
    if (deps.os === "windows") {
      const failed = `${path}.failed-${suffix}`;
      await Deno.rename(path, failed);
      await Deno.rename(backupPath, path);
      await removeQuietly(failed);
    } else {
      await Deno.rename(backupPath, path);
    }
    throw new AppError(
      "release.new_binary_failed",
      `the new ${binary} ${latest} did not pass "--version" (${
        check.line.slice(0, 120) || "no output"
      }); restored ${current}`,
      { hints: ["report this release; the installed binary is unchanged"] },
    );
  }
  await removeQuietly(backupPath);
  return { status: "updated", current, latest, asset, sha256: actual, path };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
