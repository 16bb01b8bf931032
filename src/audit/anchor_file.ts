/**
 * Writes a checkpoint note to the file `thoth audit checkpoint --export`
 * names, the anchor an auditor later passes to `verify --anchor`. An anchor
 * is evidence too: one taken before a fork is what proves the fork, so an
 * existing file is replaced only when it holds a checkpoint of this log
 * that the log still extends (the log's first records give its root) and
 * that is no later than the new one, or when `replace` says so. A link, a
 * folder, a FIFO or a device at the path is never written through. The
 * note is written beside the file, synced, and renamed over it,
 * so a failed write leaves the old anchor whole. An anchor of the same
 * checkpoint is kept, unless it does not carry its key and the new note
 * does (see `anchor_key.ts`). Every refusal is an
 * `AppError` (`audit.export_failed`) that says why and what to do.
 *
 * @example
 * ```ts
 * await writeAnchorFile("/media/usb/anchor.note", note, { logDir: "/home/ana/.thoth/audit" });
 * ```
 */
import { readLogLeaves } from "./log_leaves.ts";
import { MerkleLevels } from "./merkle_levels.ts";
import { HASH_SIZE } from "./merkle_hash.ts";
import { AppError } from "../errors.ts";
import { statedCheckpoint } from "./checkpoint.ts";
import { bytesEqual, toHex } from "./encoding.ts";
import { anchorKeyOf } from "./anchor_key.ts";
import { folderOf, syncFolder, writeAllSynced } from "../platform/durable_file.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";

/** How {@linkcode writeAnchorFile} treats a file already at the path. */
export interface AnchorWriteOptions {
  /** The audit log folder whose records an existing anchor is checked against. */
  logDir: string;
  /** Replace an existing anchor even when the log does not extend it. */
  replace?: boolean;
}

/** A checkpoint note is a few hundred bytes; a larger file is no anchor. */
const MAX_ANCHOR_BYTES = 64 * 1024;

/**
 * Writes `note` to `path` (see the module's comment): `"new"` when no file
 * was there, `"same"` when it held this note already (left as it is),
 * `"replaced"` otherwise.
 */
export async function writeAnchorFile(
  path: string,
  note: string,
  options: AnchorWriteOptions,
): Promise<"new" | "same" | "replaced"> {
  const info = await lstatOrUndefined(path);
  if (info !== undefined) {
    if (info.isSymlink) {
      throw refused(path, "it is a symbolic link (an anchor is never written through one)", [
        "name the file itself, or a new file",
      ]);
    }
    if (!info.isFile) {
      throw refused(
        path,
        `it is ${info.isDirectory ? "a folder" : "not a regular file (a FIFO or a device)"}`,
        [
          info.isDirectory
            ? "name a file to write, such as anchor.note inside that folder"
            : "name a regular file to write, or a new one",
        ],
      );
    }
    if (!options.replace && await checkExtended(path, note, options.logDir)) return "same";
  }
  const bytes = new TextEncoder().encode(note);
  const dir = folderOf(path);
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const temp = `${dir}/.${base}.tmp-${toHex(crypto.getRandomValues(new Uint8Array(4)))}`;
  try {
    const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o644 });
    await writeAllSynced(file, bytes);
    await Deno.rename(temp, path);
  } catch (cause) {
    await Deno.remove(temp).catch(() => {});
    throw writeFailed(path, dir, cause);
  }
  syncFolder(dir);
  return info === undefined ? "new" : "replaced";
}

/**
 * Refuses to replace the anchor at `path` unless the log extends it: its
 * first records give the root it signs. An anchor of another origin, or one
 * later than `note` (the device's newest checkpoint), is refused too: the
 * new note would no longer prove what the anchor does. True when it holds
 * `note`, or a note with the same size and root, already.
 */
async function checkExtended(path: string, note: string, logDir: string): Promise<boolean> {
  let old: string;
  try {
    old = new TextDecoder().decode(await readRegularFile(path, { limit: MAX_ANCHOR_BYTES }));
  } catch (cause) {
    throw refused(path, `it exists and cannot be read as an anchor (${reasonOf(cause)})`, [
      "give a new file, or --replace to overwrite it",
    ], cause);
  }
  if (old === note) return true;
  const body = statedCheckpoint(old);
  if (body === undefined) {
    throw refused(path, "it exists and holds no checkpoint note", [
      "give a new file, or --replace to overwrite it",
    ]);
  }
  const fresh = statedCheckpoint(note);
  if (fresh !== undefined && fresh.origin !== body.origin) {
    throw refused(
      path,
      `it holds a checkpoint of another log (origin "${body.origin}", not this device's ` +
        `"${fresh.origin}")`,
      [
        "keep it for the log it belongs to, and write this device's checkpoint to another file",
        "or give --replace to overwrite it",
      ],
    );
  }
  if (fresh !== undefined && fresh.size < body.size) {
    throw refused(
      path,
      `the device's newest checkpoint (${fresh.size}) is older than the anchor's ` +
        `(${body.size}): checkpoint notes were removed or the log was cut`,
      [
        `keep it, and run "thoth audit verify --anchor ${path}" to see what changed`,
        "give --replace only if you mean to give up the later checkpoint it proves",
      ],
    );
  }
  if (fresh !== undefined && fresh.size === body.size && bytesEqual(fresh.root, body.root)) {
    // The same checkpoint: kept, unless only the new note carries its key.
    return anchorKeyOf(old) !== undefined || anchorKeyOf(note) === undefined;
  }
  const held = await readLogLeaves(logDir);
  let extended = false;
  if (body.size <= held.count) {
    const tree = await MerkleLevels.build(held.leaves.subarray(0, body.size * HASH_SIZE));
    extended = bytesEqual(await tree.root(body.size), body.root);
  }
  if (!extended) {
    throw refused(
      path,
      `it holds a checkpoint at size ${body.size} that this log does not extend (its records ` +
        "do not give that root): it may be the anchor that proves the log was changed",
      [
        `keep it, and run "thoth audit verify --anchor ${path}" to see what changed`,
        "write the new checkpoint to another file, or give --replace to overwrite this one",
      ],
    );
  }
  return false;
}

async function lstatOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw writeFailed(path, folderOf(path), error);
  }
}

function refused(path: string, why: string, hints: string[], cause?: unknown): AppError {
  return new AppError("audit.export_failed", `cannot write the checkpoint to "${path}": ${why}`, {
    hints,
    cause,
  });
}

function writeFailed(path: string, dir: string, cause: unknown): AppError {
  const why = cause instanceof Deno.errors.NotFound
    ? `its folder "${dir}" does not exist`
    : cause instanceof Deno.errors.PermissionDenied
    ? `permission denied in "${dir}"`
    : reasonOf(cause);
  return refused(path, why, [
    "choose a file you can write in an existing folder, ideally on another machine or medium",
  ], cause);
}

function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
