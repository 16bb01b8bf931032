/**
 * Opens a queue answer file only when its path names it and nothing else
 * does: not a symbolic link, and a regular file with one link. The waiting
 * thoth names the approver by the uid that owns the answer file, so a link
 * in the queue folder to a file another user owns (left writable, holding a
 * valid answer) would pin the approval on that user. The path is looked at
 * without following it (`lstat`) and the handle once open (`fstat`): both
 * must be the same file (device and inode), so a link swapped in between is
 * caught too.
 *
 * The queue writes an answer by hard-linking a complete temp file into
 * place and then removing the temp file, so for a moment a real answer has
 * two links: a second link is looked at again a few times before it is
 * refused. A FIFO or device is refused as not a regular file, as
 * `openRegularFile` does.
 *
 * @example
 * ```ts
 * const opened = await openAnswerFile("/home/ana/.thoth/approvals/abcdefgh.answer.json");
 * if (opened.kind === "refused") note(opened.reason);
 * else using file = opened.file;
 * ```
 */

/** What {@linkcode openAnswerFile} found. */
export type AnswerFileOpening =
  | { kind: "opened"; file: Deno.FsFile; info: Deno.FileInfo }
  /** The file is not an answer: `reason` says why ("it is a symbolic link …"). */
  | { kind: "refused"; reason: string };

/** Options of {@linkcode openAnswerFile}. */
export interface OpenAnswerFileOptions {
  /** How often a file with more than one link is looked at before it is refused (default 25). */
  tries?: number;
  /** How long to wait between those looks, in milliseconds (default 20). */
  waitMs?: number;
}

type Once = AnswerFileOpening | { kind: "linked"; reason: string };

/**
 * Opens the answer file at `path` to read. Throws `Deno.errors.NotFound`
 * when nothing is there and `Deno.errors.InvalidData` ("it is not a regular
 * file") for a FIFO, a device or a folder; resolves `refused` for a link.
 */
export async function openAnswerFile(
  path: string,
  options: OpenAnswerFileOptions = {},
): Promise<AnswerFileOpening> {
  const tries = Math.max(1, options.tries ?? 25);
  const waitMs = options.waitMs ?? 20;
  for (let attempt = 1;; attempt++) {
    const once = await openOnce(path);
    if (once.kind !== "linked") return once;
    if (attempt >= tries) return { kind: "refused", reason: once.reason };
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

async function openOnce(path: string): Promise<Once> {
  const named = await Deno.lstat(path);
  if (named.isSymlink) {
    return {
      kind: "refused",
      reason: "it is a symbolic link, and an answer must be a file of its own in the queue folder",
    };
  }
  if (!named.isFile) throw notRegular();
  if (named.nlink !== null && named.nlink > 1) return linked(named.nlink);
  const file = await Deno.open(path, { read: true });
  try {
    const opened = await file.stat();
    if (!opened.isFile) throw notRegular();
    if (!sameFile(named, opened)) {
      file.close();
      return {
        kind: "refused",
        reason: "it was replaced while it was being opened (a link swapped in for it)",
      };
    }
    if (opened.nlink !== null && opened.nlink > 1) {
      file.close();
      return linked(opened.nlink);
    }
    return { kind: "opened", file, info: opened };
  } catch (error) {
    file.close();
    throw error;
  }
}

/** Whether two stats are of one file (true where the system gives no inode to compare). */
function sameFile(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  if (a.ino === null || b.ino === null) return true;
  return a.ino === b.ino && a.dev === b.dev;
}

function linked(nlink: number): Once {
  return {
    kind: "linked",
    reason: `it has ${nlink} hard links, so it may be another user's file linked into the ` +
      "queue folder; an answer must be a file of its own",
  };
}

function notRegular(): Deno.errors.InvalidData {
  return new Deno.errors.InvalidData("it is not a regular file");
}
