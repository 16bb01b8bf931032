/**
 * Saves an API key where thoth will read it back: atomically (through
 * `platform/atomic_write.ts`), mode 0600, in the format `encodeApiKeyFile`
 * documents; never through a symbolic link planted in its place. Creates the
 * parent directory (0700) when it is missing.
 *
 * @example
 * ```ts
 * await writeApiKeyFile("/home/ana/.thoth/proxy_api_key.json", new Secret("k-123"), new Date());
 * ```
 */
import { AppError } from "../errors.ts";
import { encodeApiKeyFile } from "./encode_api_key_file.ts";
import type { Secret } from "./secret.ts";
import { atomicWrite } from "../platform/atomic_write.ts";
import { refuseUnsafeForRoot } from "../platform/root_safe_path.ts";

/** Writes the key file; throws `credentials.write_failed` naming the path. */
export async function writeApiKeyFile(path: string, key: Secret, now: Date): Promise<void> {
  const parent = path.replace(/[\\/][^\\/]*$/, "");
  try {
    // Root in a folder another user can change writes no key there.
    await refuseUnsafeForRoot(path, "the API key file", "file");
    if (parent !== "" && parent !== path) {
      await Deno.mkdir(parent, { recursive: true, mode: 0o700 });
    }
    await atomicWrite(path, new TextEncoder().encode(encodeApiKeyFile(key, now)), {
      mode: 0o600,
      refuseLink: true,
    });
  } catch (error) {
    const why = error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : error instanceof Error
      ? error.message
      : String(error);
    const message = error instanceof AppError
      ? `cannot save the API key: ${error.message}`
      : `cannot save the API key to "${path}": ${why}`;
    throw new AppError("credentials.write_failed", message, {
      hints: error instanceof AppError && error.hints.length > 0
        ? [...error.hints]
        : ["check that you own the directory, or set THOTH_API_KEY_FILE to a writable path"],
      cause: error,
    });
  }
}
