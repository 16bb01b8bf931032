/**
 * The release channel (default manifest URL and verifier keys) built into
 * this binary, as the errors for a missing URL or key describe it.
 *
 * @example
 * ```ts
 * releaseChannelHint(BUILT_IN_CHANNEL);
 * ```
 */
import { DEFAULT_RELEASE_MANIFEST_URL, type ReleaseChannel } from "./release_manifest.ts";
import { RELEASE_VERIFIER_KEYS } from "./release_keys.ts";

/** The release channel built into this binary. */
export const BUILT_IN_CHANNEL: ReleaseChannel = {
  manifestUrl: DEFAULT_RELEASE_MANIFEST_URL,
  keys: RELEASE_VERIFIER_KEYS,
};
