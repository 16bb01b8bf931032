/**
 * Writes a set of files as a new folder, all at once: they go into a fresh
 * temporary folder beside the target (same parent, mode 0700 while it is
 * written, every file created new, so nothing is written through a link or
 * into a FIFO), which is renamed to the target's name only when it is
 * complete. A write that fails, or a process killed halfway, never leaves
 * half a folder under the requested name (a killed one leaves only the hidden
 * `.NAME.*.partial` folder beside it, which the next write to that name
 * removes once nothing has written to it for 10 minutes). The target must
 * not exist yet, or be an empty folder, which the rename replaces: files
 * already there would mix with the new ones (an evidence bundle exported
 * twice into one folder reads as tampered). The folder is for others to
 * read, and for no one else to change: its folders are 0755 and its files
 * 0644, set explicitly whatever the umask (under umask 000 a new file would
 * be 0666, which anyone could rewrite). Windows has no such modes.
 *
 * @example
 * ```ts
 * await checkNewFolder("/media/usb/q3", "--output");
 * await writeNewFolder("/media/usb/q3", [{ path: "records/a.jsonl", bytes }], { flag: "--output" });
 * ```
 */
import { AppError } from "../errors.ts";
import { folderOf, syncFolder } from "../platform/durable_file.ts";
import {
  type LeftFolders,
  partialName,
  partialStem,
  sweepPartialFolders,
} from "./partial_folders.ts";

export type { LeftFolders } from "./partial_folders.ts";

/** The mode of the bundle's folders: others may read, none but the owner change. */
const FOLDER_MODE = 0o755;
/** The mode of the bundle's files. */
const FILE_MODE = 0o644;

/** One file of the folder: its path inside it (`/`-separated) and its bytes. */
export interface NewFolderFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * Refuses `target` (`audit.output_exists`) unless nothing is there or it is
 * an empty folder, and (`audit.output_mount_point`) an empty folder on
 * another drive than its parent; `flag` names the option that gave it.
 */
export async function checkNewFolder(target: string, flag: string): Promise<void> {
  const path = withoutTrailingSeparator(target);
  const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  if (name === "." || name === "..") {
    // The rename would have to replace the folder it is written in (or its parent).
    throw new AppError(
      "audit.output_name",
      `the ${flag} folder "${target}" ends in "${name}": it must name the new folder itself`,
      {
        hints: [`give ${flag} a new folder's name, such as "${path}/bundle"`],
        exitCode: 2,
      },
    );
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw cannotWrite(target, error, flag);
  }
  const refuse = (why: string): AppError =>
    new AppError("audit.output_exists", `the ${flag} folder "${target}" ${why}`, {
      hints: [
        `choose a new folder for ${flag}, or remove "${target}" and run the command again`,
      ],
    });
  if (info.isSymlink) throw refuse("is a symbolic link: thoth does not write through a link");
  if (!info.isDirectory) throw refuse("already exists and is not a folder");
  let entries = 0;
  try {
    for await (const _ of Deno.readDir(path)) {
      entries++;
      break;
    }
  } catch (error) {
    throw cannotWrite(target, error, flag);
  }
  if (entries > 0) throw refuse("already exists and is not empty");
  const parent = await Deno.stat(folderOf(path)).catch(() => undefined);
  if (parent?.dev != null && info.dev != null && parent.dev !== info.dev) {
    throw new AppError(
      "audit.output_mount_point",
      `the ${flag} folder "${target}" is a mount point: the bundle is written beside it and moved into place, which cannot cross drives`,
      { hints: [`give ${flag} a new folder inside it, such as "${path}/bundle"`] },
    );
  }
}

/**
 * Writes `files` as the folder `target` (checked with
 * {@linkcode checkNewFolder} first), with the subfolders `folders` even when
 * no file lands in one; files are written in order, so the last one (a
 * manifest) is written last. Returns what earlier writes to the same target
 * left beside it: removed when abandoned, else listed.
 */
export async function writeNewFolder(
  target: string,
  files: readonly NewFolderFile[],
  options: { flag: string; folders?: readonly string[] },
): Promise<LeftFolders> {
  const flag = options.flag;
  await checkNewFolder(target, flag);
  const path = withoutTrailingSeparator(target);
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const parent = cut < 0 ? "." : path.slice(0, cut + 1);
  const prefix = cut < 0 ? "" : parent;
  const stem = await partialStem(path.slice(cut + 1));
  let temp: string | undefined;
  let left: LeftFolders = { removed: [], recent: [] };
  try {
    // Folders made on the way are 0755 at most (the umask may take more away).
    await Deno.mkdir(parent, { recursive: true, mode: FOLDER_MODE });
    left = await sweepPartialFolders(parent, prefix, stem, Date.now());
    temp = `${prefix}${partialName(stem)}`;
    // Kept to its owner until it is complete; then FOLDER_MODE, whatever the umask.
    await Deno.mkdir(temp, { mode: 0o700 });
    const modes = (await Deno.stat(temp)).mode !== null;
    if (modes) await Deno.chmod(temp, 0o700);
    // Inside the owner's 0700 folder no one else can swap a name before its chmod.
    const setMode = async (path: string, mode: number) => {
      if (modes) await Deno.chmod(path, mode);
    };
    const made = new Set<string>();
    const makeFolder = async (folder: string) => {
      await Deno.mkdir(`${temp}/${folder}`, { mode: FOLDER_MODE });
      await setMode(`${temp}/${folder}`, FOLDER_MODE);
      made.add(folder);
    };
    for (const folder of options.folders ?? []) await makeFolder(folder);
    for (const file of files) {
      const parts = file.path.split("/");
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join("/");
        if (!made.has(dir)) await makeFolder(dir);
      }
      await writeNew(`${temp}/${file.path}`, file.bytes);
      await setMode(`${temp}/${file.path}`, FILE_MODE);
    }
    await setMode(temp, FOLDER_MODE);
    await moveIntoPlace(temp, path, () =>
      new AppError(
        "audit.output_exists",
        `the ${flag} folder "${target}" was filled or replaced by something else while the bundle was written`,
        { hints: [`choose a new folder for ${flag}`] },
      ));
    temp = undefined;
    syncFolder(parent);
    return left;
  } catch (error) {
    if (temp !== undefined) await Deno.remove(temp, { recursive: true }).catch(() => {});
    if (error instanceof AppError) throw error;
    throw cannotWrite(target, error, flag);
  }
}

/** Creates `path` (failing if anything is there, a link included) and writes `bytes`. */
async function writeNew(path: string, bytes: Uint8Array): Promise<void> {
  const file = await Deno.open(path, { write: true, createNew: true, mode: FILE_MODE });
  try {
    let rest = bytes;
    while (rest.length > 0) rest = rest.subarray(await file.write(rest));
  } finally {
    file.close();
  }
}

/**
 * Renames the finished folder to `path`. POSIX replaces an empty folder
 * there in one step and fails on anything else (a link, a file, a folder
 * that is no longer empty): `taken` says so. Windows replaces no folder, so
 * an empty one is removed first (`remove` fails on one that is not empty).
 */
async function moveIntoPlace(temp: string, path: string, taken: () => AppError): Promise<void> {
  try {
    await Deno.rename(temp, path);
    return;
  } catch (error) {
    if (Deno.build.os !== "windows") throw isTaken(error) ? taken() : error;
  }
  const info = await Deno.lstat(path).catch(() => undefined);
  if (info !== undefined) {
    if (!info.isDirectory) throw taken();
    await Deno.remove(path).catch(() => {
      throw taken();
    });
  }
  await Deno.rename(temp, path);
}

/** Whether a rename failed because something other than an empty folder is at the target. */
function isTaken(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Deno.errors.AlreadyExists ||
    error instanceof Deno.errors.NotADirectory ||
    error instanceof Deno.errors.IsADirectory ||
    code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOTDIR" || code === "EISDIR";
}

function cannotWrite(target: string, error: unknown, flag: string): AppError {
  const why =
    error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable
      ? "permission denied"
      : error instanceof Deno.errors.NotADirectory
      ? "a parent of it is not a folder"
      : error instanceof Error
      ? error.message
      : String(error);
  return new AppError("audit.export_failed", `cannot write the bundle to "${target}": ${why}`, {
    hints: [`choose a ${flag} folder you can write to`],
    cause: error,
  });
}

function withoutTrailingSeparator(path: string): string {
  const trimmed = path.replace(/[/\\]+$/, "");
  return trimmed === "" ? path : trimmed;
}
