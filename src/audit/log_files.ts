/**
 * Reads what the audit folder holds: segment names in log order, checkpoint
 * notes, and the whole evidence set the verifier needs. Thin I/O.
 *
 * @example
 * ```ts
 * const segments = await listSegments("/home/ana/.thoth/audit");
 * const notes = await readCheckpointNotes("/home/ana/.thoth/audit/checkpoints");
 * ```
 */
import { CHECKPOINT_PATTERN, SEGMENT_PATTERN } from "./log_paths.ts";

/** Segment file names in `dir`, in log order (empty when the folder does not exist). */
export async function listSegments(dir: string): Promise<string[]> {
  return (await listNames(dir)).filter((name) => SEGMENT_PATTERN.test(name)).sort();
}

/**
 * What `segments` in `dir` are now, as one string: each name with its size
 * and modification time. Two equal fingerprints mean nothing was appended,
 * cut, added or removed in between (short of an edit that keeps size and
 * time), so a verdict on the log's content still holds.
 */
export async function segmentsFingerprint(
  dir: string,
  segments: readonly string[],
): Promise<string> {
  const parts = await Promise.all(segments.map(async (name) => {
    const info = await Deno.stat(`${dir}/${name}`);
    return `${name}:${info.size}:${info.mtime?.getTime() ?? "?"}`;
  }));
  return parts.join("\n");
}

/** Checkpoint notes in `dir` by size order, with their file names as sources. */
export async function readCheckpointNotes(
  dir: string,
): Promise<{ source: string; note: string }[]> {
  const names = (await listNames(dir)).filter((name) => CHECKPOINT_PATTERN.test(name)).sort();
  return await Promise.all(
    names.map(async (name) => ({ source: name, note: await Deno.readTextFile(`${dir}/${name}`) })),
  );
}

/** A name a log file goes by on something that is not a regular file, and what it is. */
export interface NotRegularEntry {
  name: string;
  /** What it is, in words: "a FIFO", "a symbolic link to \"/dev/zero\"", "a folder"… */
  what: string;
}

/**
 * Entries of `dir` named like log files (`pattern`) that are not regular
 * files: links (never followed), FIFOs, folders, sockets and devices, which
 * `listSegments` and `readCheckpointNotes` leave out. Looked at with lstat
 * and readLink only, so a FIFO is never opened (an open would wait for a
 * writer for ever). Empty when the folder does not exist.
 */
export async function listNotRegular(dir: string, pattern: RegExp): Promise<NotRegularEntry[]> {
  const out: NotRegularEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile || !pattern.test(entry.name)) continue;
      out.push({ name: entry.name, what: await whatIs(`${dir}/${entry.name}`) });
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** What a path that is not a regular file is, without opening it. */
async function whatIs(path: string): Promise<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch {
    return "not a regular file (it could not be looked at)";
  }
  if (info.isSymlink) {
    const target = await Deno.readLink(path).catch(() => undefined);
    return target === undefined
      ? "a symbolic link"
      : `a symbolic link to ${JSON.stringify(target)}`;
  }
  if (info.isFifo) return "a FIFO";
  if (info.isDirectory) return "a folder";
  if (info.isSocket) return "a socket";
  if (info.isCharDevice || info.isBlockDevice) return "a device";
  return info.isFile ? "a regular file now (it was not when listed)" : "not a regular file";
}

async function listNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isFile) names.push(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return names;
}
