/**
 * Saves an API key where thoth will read it back: atomically (through
 * `platform/atomic_write.ts`), mode 0600, in the format `encodeApiKeyFile`
 * documents; never through a symbolic link planted in its place. Creates the
 * parent directory (0700) when it is missing. Writes nothing into a folder
 * another user can replace the file in (`credentials.shared_folder`): one
 * another user owns (not root), or one others may write to without the
 * sticky bit, judged where the path names it and where it really is. That is
 * the rule `thoth doctor` applies to the folder of `THOTH_API_KEY_FILE`
 * ({@linkcode replaceableFolderProblem}).
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
import { modeText, othersMayReplaceIn } from "../platform/file_mode.ts";
import { effectiveUid, refuseUnsafeForRoot } from "../platform/root_safe_path.ts";

/**
 * Why another user can replace a file in the folder `info` describes, or
 * undefined when none can: the folder is owned by a user other than `self`
 * and root, or others may write to it and it has no sticky bit (as `/tmp`
 * has). `self` null (not known) judges the mode only; so does Windows, whose
 * folders have no mode (`mode` null: nothing to judge).
 *
 * @example
 * ```ts
 * replaceableFolderProblem({ uid: 1000, mode: 0o40777 }, 1000); // "is 0777"
 * replaceableFolderProblem({ uid: 0, mode: 0o41777 }, 1000); // undefined (sticky, like /tmp)
 * ```
 */
export function replaceableFolderProblem(
  info: { uid: number | null; mode: number | null },
  self: number | null,
): string | undefined {
  if (info.mode === null) return undefined;
  if (self !== null && info.uid !== null && info.uid !== self && info.uid !== 0) {
    return `is owned by uid ${info.uid}, not you (uid ${self}) or root`;
  }
  if (othersMayReplaceIn(info.mode)) return `is ${modeText(info.mode)}`;
  return undefined;
}

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
  // Before anything is made: a folder that is there already is judged as it is.
  await refuseReplaceableFolder(path, parent, variable);
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

/**
 * Throws `credentials.shared_folder`, naming the folder, its mode or owner
 * and the fix, when another user can replace the file in the folder of
 * `path` (see {@linkcode replaceableFolderProblem}): the folder as `path`
 * names it, and where it really is when a link leads elsewhere. A folder that
 * is not there yet is not judged (it is made 0700). Root is left to
 * `refuseUnsafeForRoot`, which is stricter.
 */
async function refuseReplaceableFolder(
  path: string,
  parent: string,
  variable: string | undefined,
): Promise<void> {
  const self = effectiveUid();
  // Root is refused such a folder already, in its own words (`io.unsafe_for_root`).
  if (self === 0) return;
  const written = parent === "" || parent === path ? "/" : parent;
  const real = await Deno.realPath(written).catch(() => undefined);
  for (const folder of real === undefined || real === written ? [written] : [written, real]) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(folder);
    } catch {
      continue; // Not there yet, or not reachable: the write says what is wrong.
    }
    if (!info.isDirectory) continue;
    const problem = replaceableFolderProblem(info, self);
    if (problem === undefined) continue;
    const where = folder === written ? `"${folder}"` : `"${written}" (${folder})`;
    const owned = problem.startsWith("is owned");
    const elsewhere = `set ${variable ?? "THOTH_API_KEY_FILE"} to a file in a folder only you ` +
      "(or root) can change, then run the command again";
    throw new AppError(
      "credentials.shared_folder",
      `not saving the API key: the folder of ${variable ?? "the API key file"}, ${where}, ` +
        `${problem}: other users can replace the file in it; nothing was written`,
      {
        hints: owned ? [elsewhere] : [
          `make it yours alone: chmod go-w ${quote(folder)}, then run the command again`,
          `or ${elsewhere}`,
        ],
      },
    );
  }
}

/** `path` single-quoted for a POSIX shell. */
function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}

/** Throws `credentials.not_a_file` when `path` ends in a separator or names a folder. */
async function refuseFolder(path: string, variable: string | undefined): Promise<void> {
  const separator = /[\\/]$/.exec(path)?.[0];
  let folder = false;
  try {
    folder = (await Deno.stat(path)).isDirectory;
  } catch {
    // Missing, or unreadable: the write says what is wrong.
  }
  if (!folder && separator === undefined) return;
  // "is a folder" only when one is there; else what the path says.
  const what = folder ? "is a folder" : `ends in ${separator} (names a folder)`;
  const trimmed = path.replace(/[\\/]+$/, "");
  const example = joinPath(trimmed === "" ? path : trimmed, "proxy_api_key.json");
  throw new AppError(
    "credentials.not_a_file",
    variable === undefined
      ? `cannot save the API key to "${path}": it ${what}, not a file`
      : `${variable} must name a file, such as "${example}": "${path}" ${what}`,
    {
      hints: [
        variable === undefined
          ? folder
            ? `move "${path}" aside, then run the command again`
            : `give a file's path, such as "${example}", then run the command again`
          : `set ${variable} to a file's path, such as "${example}", then run the command again`,
      ],
    },
  );
}
