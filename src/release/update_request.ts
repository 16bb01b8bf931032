/**
 * What `thoth update` is asked to do, the outside world it works against
 * (injected, so tests can point it at a temp "installed" binary and a
 * loopback server), and how it ends: the types of {@linkcode selfUpdate}
 * (`self_update.ts`). No I/O.
 *
 * @example
 * ```ts
 * const request: UpdateRequest = { manifestUrl: "https://releases.example/thoth/latest.json", force: false, checkOnly: true };
 * ```
 */
import type { ReleaseChannel, ReleaseManifest } from "./release_manifest.ts";
import type { Bounds } from "./fetch_bounded.ts";

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

/** The default cap on an asset's size. */
export const DEFAULT_MAX_ASSET_BYTES = 512 * 1024 * 1024;
/** The default deadline of one download. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 15 * 60_000;

/** A fetched manifest and how to fetch what it names. */
export interface Release {
  readonly manifest: ReleaseManifest;
  readonly manifestUrl: URL;
  readonly doFetch: typeof fetch;
  readonly progress: (line: string) => void;
  readonly deps: UpdateDeps;
  /** How the manifest, checksums and signature downloads are bounded. */
  readonly text: Bounds;
}
