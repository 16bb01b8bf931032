/**
 * The files of the local approval queue folder, as the queue writes and
 * reads them. The folder is private (0700, this user's): whoever can write
 * in it can answer a request, so a looser one is made private again, and
 * one that cannot be is refused. A file is written once: a complete 0600
 * temp file is hard-linked into place, which fails when anything is there,
 * so the first writer wins and every later one learns it. A file is read
 * only when it is a regular file (a FIFO dropped in the folder would hold
 * the reader for ever) of at most {@linkcode QUEUE_FILE_LIMIT} bytes, with
 * the uid that owns it, read through the handle that is read.
 *
 * @example
 * ```ts
 * const folder = new QueueFolder("/home/ana/.thoth/approvals");
 * await folder.createExclusive(folder.path("k3f9x2qa", "answer"), answer); // false: one was there
 * ```
 */
import { AppError } from "../errors.ts";
import { joinPath } from "../platform/join_path.ts";
import { setModeNoFollow } from "../platform/handle_mode.ts";
import { openRegularFile } from "../platform/open_regular_file.ts";
import { FileOverLimitError, readToEnd } from "../platform/read_regular_file.ts";
import { openAnswerFile, type OpenAnswerFileOptions } from "./open_answer_file.ts";
import { QUEUE_FILE_LIMIT, TAKEN_SUFFIX } from "./queue_record.ts";
import { toHex } from "../audit/encoding.ts";
import { moveAsideHint, queueWriteError, queueWriteHints } from "./queue_write_problem.ts";

/** The files of one request: its request, answer and outcome files and its taken marker. */
export type QueueFileKind = "request" | "answer" | "outcome" | "taken";

/** A queue file as read: see {@linkcode QueueFolder.readOwned}. */
export interface OwnedRead {
  value: unknown;
  ownerUid: number | null;
  refused?: string;
  overLimit?: true;
}

/** Opens a queue file, or says why the file there is refused unread. */
export type QueueFileOpener = (path: string) => Promise<Deno.FsFile | { refused: string }>;

const encoder = new TextEncoder();

/** Why a folder, FIFO or device where an answer goes is none (worded as a link's refusal is). */
const NOT_REGULAR = "it is not a regular file (a folder, FIFO or device), and an answer must be " +
  "a file of its own in the queue folder";

/**
 * Opens an answer or outcome file as {@linkcode openAnswerFile} does (`options`
 * say how often a file with a second link is looked at again), for
 * {@linkcode QueueFolder.readOwned}: a file it refuses comes back `refused`,
 * with its reason.
 */
export function answerFileOpener(options: OpenAnswerFileOptions): QueueFileOpener {
  return async (path) => {
    try {
      const opened = await openAnswerFile(path, options);
      return opened.kind === "opened" ? opened.file : { refused: opened.reason };
    } catch (error) {
      // A folder, FIFO or device there was never read: it is no answer, not bad JSON.
      if (error instanceof Deno.errors.InvalidData) return { refused: NOT_REGULAR };
      throw error;
    }
  };
}

/** One approval queue folder's files. */
export class QueueFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Where file `kind` of request `id` is. */
  path(id: string, kind: QueueFileKind): string {
    return joinPath(this.dir, kind === "taken" ? `${id}${TAKEN_SUFFIX}` : `${id}.${kind}.json`);
  }

  /** The ids of the requests in the folder, sorted (none when there is no folder yet). */
  async requestIds(): Promise<string[]> {
    const ids: string[] = [];
    try {
      for await (const item of Deno.readDir(this.dir)) {
        if (item.isFile && item.name.endsWith(".request.json")) {
          ids.push(item.name.slice(0, -".request.json".length));
        }
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw (await this.folderProblem()) ?? new AppError(
        "approval.queue_read_failed",
        `cannot read "${this.dir}": ${message(error)}`,
        { cause: error, hints: [moveAsideHint(this.dir)] },
      );
    }
    return ids.sort();
  }

  /** Writes `value` as JSON to `path` only if nothing is there yet; false when something is. */
  async createExclusive(path: string, value: unknown): Promise<boolean> {
    await this.#ensurePrivateDir();
    const temp = joinPath(this.dir, `.tmp-${toHex(crypto.getRandomValues(new Uint8Array(6)))}`);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
    } catch (error) {
      // No file can be made in the folder (not writable, immutable, a full or read-only
      // disk): the system's words stand, for stderr, with the remedy that fits the cause.
      throw queueWriteError(error, this.dir, "cannot make a file in");
    }
    try {
      let rest = encoder.encode(JSON.stringify(value, null, 2) + "\n");
      while (rest.length > 0) rest = rest.subarray(await file.write(rest));
      await file.sync();
    } catch (error) {
      file.close();
      await Deno.remove(temp).catch(() => {});
      throw queueWriteError(error, this.dir, "cannot write a file in", {
        code: "approval.queue_write_failed",
      });
    }
    file.close();
    try {
      await Deno.link(temp, path);
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      throw new AppError(
        "approval.queue_write_failed",
        `cannot write "${path}": ${message(error)}`,
        { cause: error, hints: queueWriteHints(error, this.dir, []) },
      );
    } finally {
      await Deno.remove(temp).catch(() => {});
    }
  }

  /**
   * The queue directory, created 0700, or made 0700 again if it was looser:
   * whoever can write in it can answer a request. A directory this user does
   * not own (and so cannot tighten) is refused.
   */
  async #ensurePrivateDir(): Promise<void> {
    try {
      await Deno.mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw (await this.folderProblem()) ?? new AppError(
        "approval.queue_unusable",
        `cannot create the approval queue folder "${this.dir}": ${message(error)}`,
        { cause: error, hints: queueWriteHints(error, this.dir, [moveAsideHint(this.dir)]) },
      );
    }
    if (Deno.build.os === "windows") return;
    const mode = (await Deno.stat(this.dir)).mode;
    if (mode === null || (mode & 0o077) === 0) return;
    try {
      // Through a handle: a link swapped in for the folder is refused, not followed.
      await setModeNoFollow(this.dir, { kind: "directory", mode: 0o700 });
    } catch (error) {
      throw new AppError(
        "approval.queue_unsafe",
        `the approval queue "${this.dir}" is open to other users (mode ${
          (mode & 0o777).toString(8)
        }) and cannot be made private: ${message(error)}`,
        {
          cause: error,
          hints: [
            `make it yours and private: chown "$USER" "${this.dir}" && chmod 700 "${this.dir}"`,
          ],
        },
      );
    }
  }

  /**
   * Why the queue folder cannot be used, when something that is no folder
   * stands in its place (a file, a device, or a file above it); undefined
   * when it is a folder or not there yet.
   */
  async folderProblem(): Promise<AppError | undefined> {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(this.dir);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      if (!(error instanceof Deno.errors.NotADirectory)) return undefined;
      return new AppError(
        "approval.queue_not_folder",
        `the approval queue "${this.dir}" cannot be a folder: a file stands in its path`,
        { cause: error, hints: [moveAsideHint(this.dir)] },
      );
    }
    if (info.isDirectory) return undefined;
    return new AppError(
      "approval.queue_not_folder",
      `the approval queue "${this.dir}" is a ${
        info.isFile ? "file" : "special file"
      }, not a folder, so no request can wait there`,
      { hints: [moveAsideHint(this.dir)] },
    );
  }

  /** The JSON of the regular file at `path` (see {@linkcode readOwned}). */
  async readJson(path: string): Promise<unknown> {
    return (await this.readOwned(path, openRegularFile)).value;
  }

  /**
   * A queue file's JSON (undefined: none; null: not JSON, not a regular
   * file, or over {@linkcode QUEUE_FILE_LIMIT}, then with `overLimit` set),
   * with the uid that owns it; `refused` instead when `open` refuses the
   * file (an answer file that is a link, or not a regular file).
   */
  async readOwned(path: string, open: QueueFileOpener): Promise<OwnedRead> {
    let file: Deno.FsFile;
    try {
      // Only a regular file: a FIFO dropped in the queue would hold the reader for ever.
      const opened = await open(path);
      if (!(opened instanceof Deno.FsFile)) {
        return { value: undefined, ownerUid: null, refused: opened.refused };
      }
      file = opened;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return { value: undefined, ownerUid: null };
      if (error instanceof Deno.errors.InvalidData) return { value: null, ownerUid: null };
      throw (await this.folderProblem()) ??
        new AppError("approval.queue_read_failed", `cannot read "${path}": ${message(error)}`, {
          cause: error,
        });
    }
    try {
      // The owner through the handle that is read: the file cannot be swapped in between.
      const info = await file.stat();
      const ownerUid = info.uid;
      // Too large (a sparse file costs nothing to make): refused unread, or once past the limit.
      if (info.size > QUEUE_FILE_LIMIT) return { value: null, ownerUid, overLimit: true };
      let bytes: Uint8Array;
      try {
        bytes = await readToEnd(file, { limit: QUEUE_FILE_LIMIT });
      } catch (error) {
        if (error instanceof FileOverLimitError) return { value: null, ownerUid, overLimit: true };
        throw error;
      }
      try {
        return { value: JSON.parse(new TextDecoder().decode(bytes)), ownerUid };
      } catch {
        return { value: null, ownerUid };
      }
    } catch (error) {
      throw new AppError("approval.queue_read_failed", `cannot read "${path}": ${message(error)}`, {
        cause: error,
      });
    } finally {
      file.close();
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
