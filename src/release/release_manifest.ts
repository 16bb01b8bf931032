/**
 * The release manifest `thoth update` reads, and how a platform's asset is
 * picked from it. Pure.
 *
 * The format (JSON):
 * ```json
 * {
 *   "schema": "thoth.release-manifest/v1",
 *   "version": "0.2.0",
 *   "checksums": "checksums.sha256",
 *   "assets": {
 *     "thoth-linux-x86_64": "thoth-linux-x86_64",
 *     "thoth-macos-universal": "https://mirror.example/thoth-macos-universal"
 *   }
 * }
 * ```
 * `checksums` and every asset value are URLs, relative ones resolved against
 * the manifest's own URL. Asset keys are the names `checksums.sha256` lists.
 *
 * @example
 * ```ts
 * const manifest = parseReleaseManifest(await (await fetch(url)).text());
 * pickAsset(manifest, "thoth", "linux", "aarch64"); // "thoth-linux-arm64"
 * ```
 */
import { z } from "zod";
import { AppError } from "../errors.ts";
import { redactUrls } from "./display_url.ts";
import { parseVersion } from "./semver.ts";
import { platformAssetCandidates } from "./targets.ts";

/** The schema identifier of this format. */
export const RELEASE_MANIFEST_SCHEMA = "thoth.release-manifest/v1";

/**
 * Where `thoth update` looks when neither `--manifest-url` nor
 * `THOTH_RELEASE_MANIFEST_URL` says: empty until the project publishes
 * releases at a fixed address.
 */
export const DEFAULT_RELEASE_MANIFEST_URL = "";

/**
 * What a build has of a release channel: its default manifest URL (`""` for
 * none) and the release keys built into it.
 */
export interface ReleaseChannel {
  readonly manifestUrl: string;
  readonly keys: readonly string[];
}

/**
 * Whether `channel` is one at all, in words: a build with neither a manifest
 * URL nor a release key built in has no default release channel.
 *
 * @example
 * ```ts
 * releaseChannelText({ manifestUrl: "", keys: [] });
 * // "this build has no default release channel (no release manifest URL and no release key built in)"
 * ```
 */
export function releaseChannelText(channel: ReleaseChannel): string {
  const missing = [
    ...(channel.manifestUrl === "" ? ["release manifest URL"] : []),
    ...(channel.keys.length === 0 ? ["release key"] : []),
  ];
  return missing.length === 2
    ? "this build has no default release channel (no release manifest URL and no release key " +
      "built in)"
    : missing.length === 1
    ? `this build has no ${missing[0]} built in`
    : "this build has a default release channel";
}

/**
 * The one hint for `release.no_manifest_url` and `release.no_verifier_key`
 * (and `thoth update --help`): what `channel` lacks, and both variables that
 * make a channel, each with what it holds.
 *
 * @example
 * ```ts
 * releaseChannelHint({ manifestUrl: "", keys: [] });
 * // "this build has no default release channel (…): set THOTH_RELEASE_MANIFEST_URL …"
 * ```
 */
export function releaseChannelHint(channel: ReleaseChannel): string {
  return `${releaseChannelText(channel)}: set THOTH_RELEASE_MANIFEST_URL (or pass ` +
    "--manifest-url) to the https URL of your release manifest (the JSON that lists the " +
    "release's version, checksums and binaries), and THOTH_RELEASE_VERIFIER_KEY to the " +
    "verifier key (name+hash+base64) your releases are signed with; whoever publishes your " +
    "thoth releases has both";
}

const ManifestSchema = z.object({
  schema: z.literal(RELEASE_MANIFEST_SCHEMA),
  version: z.string().min(1).max(64),
  checksums: z.string().min(1).max(2048),
  assets: z.record(
    z.string().regex(/^[A-Za-z0-9._-]{1,128}$/),
    z.string().min(1).max(2048),
  ),
}).strict();

/** A parsed release manifest. */
export type ReleaseManifest = z.infer<typeof ManifestSchema>;

/** Parses and validates manifest text; throws `release.bad_manifest`. */
export function parseReleaseManifest(text: string): ReleaseManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      "release.bad_manifest",
      // V8 quotes the text it choked on, which may hold a URL with a token.
      `release manifest is not JSON: ${redactUrls((error as Error).message)}`,
    );
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? "(root)" : issue.path.join(".");
    throw new AppError(
      "release.bad_manifest",
      `release manifest is invalid at ${where}: ${issue?.message ?? "unknown problem"}`,
    );
  }
  try {
    parseVersion(parsed.data.version);
  } catch {
    throw new AppError(
      "release.bad_manifest",
      `release manifest version "${parsed.data.version.slice(0, 40)}" is not a semantic version`,
    );
  }
  return parsed.data;
}

/** The asset this platform should install; throws `release.no_asset` when the release has none. */
export function pickAsset(
  manifest: ReleaseManifest,
  binary: string,
  os: string,
  arch: string,
): string {
  const candidates = platformAssetCandidates(binary, os, arch);
  const found = candidates.find((name) => Object.hasOwn(manifest.assets, name));
  if (found === undefined) {
    throw new AppError(
      "release.no_asset",
      `release ${manifest.version} has no ${binary} binary for ${os}/${arch}` +
        (candidates.length > 0 ? ` (looked for ${candidates.join(", ")})` : ""),
      {
        hints: [
          `it offers ${Object.keys(manifest.assets).slice(0, 12).join(", ") || "no assets"}`,
          candidates.length === 0
            ? `no thoth release is built for ${os}/${arch}; run thoth from source (deno task) there`
            : "the release may be incompletely published: ask its publisher, or install by hand; " +
              "nothing was changed",
        ],
      },
    );
  }
  return found;
}
