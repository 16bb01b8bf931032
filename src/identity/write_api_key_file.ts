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
import { joinPath } from "../platform/join_path.ts";
import { refuseUnsafeForRoot } from "../platform/root_safe_path.ts";

/**
 * Writes the key file; throws `credentials.write_failed` naming the path.
 * `variable` is the environment variable that named `path`, if one did: a
 * path that names a folder (an existing one, or any ending in a separator)
 * is refused in its words before anything is made.
 */
export async function writeApiKeyFile(
  path: string,
  key: Secret,
  now: Date,
  variable?: string,
): Promise<void> {
  await refuseFolder(path, variable);
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

/** Throws `credentials.not_a_file` when `path` ends in a separator or names a folder. */
async function refuseFolder(path: string, variable: string | undefined): Promise<void> {
  let folder = /[\\/]$/.test(path);
  if (!folder) {
    try {
      folder = (await Deno.stat(path)).isDirectory;
    } catch {
      // Missing, or unreadable: the write says what is wrong.
    }
  }
  if (!folder) return;
  const trimmed = path.replace(/[\\/]+$/, "");
  const example = joinPath(trimmed === "" ? path : trimmed, "proxy_api_key.json");
  throw new AppError(
    "credentials.not_a_file",
    variable === undefined
      ? `cannot save the API key to "${path}": it is a folder, not a file`
      : `${variable} must name a file, such as "${example}": "${path}" is a folder`,
    {
      hints: [
        variable === undefined
          ? `move "${path}" aside, then run the command again`
          : `set ${variable} to a file's path, such as "${example}", then run the command again`,
      ],
    },
  );
}
