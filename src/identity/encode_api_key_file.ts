/**
 * The format of `proxy_api_key.json`, as `thoth set-api-key` writes it:
 *
 * ```json
 * {
 *   "version": 1,
 *   "api_key": "<the key>",
 *   "fingerprint": "<first 8 hex digits of its SHA-256>",
 *   "saved_at": "<ISO 8601 time>"
 * }
 * ```
 *
 * Only `api_key` is required when reading (see `parseApiKeyFile`); the
 * fingerprint lets a person match the file against `thoth doctor` output
 * without opening the key.
 *
 * @example
 * ```ts
 * encodeApiKeyFile(new Secret("k-123"), new Date("2026-01-01T00:00:00Z"));
 * ```
 */
import type { Secret } from "./secret.ts";

/** The file text for an API key, with a trailing newline. */
export function encodeApiKeyFile(key: Secret, savedAt: Date): string {
  const body = {
    version: 1,
    api_key: key.reveal(),
    fingerprint: key.fingerprint,
    saved_at: savedAt.toISOString(),
  };
  return JSON.stringify(body, null, 2) + "\n";
}
