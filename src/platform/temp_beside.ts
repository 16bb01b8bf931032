/**
 * The temp files a file is written through ({@linkcode tempBeside}: a hidden
 * `.<name>.<12 hex digits>.tmp` in the file's own folder, so the rename over
 * it stays on one file system), and the removal of those a killed writer left
 * behind ({@linkcode removeStaleTemps}). Such a leftover is a whole copy of
 * what was being written: for a client config, every server's `env` with its
 * tokens. A write removes its temp file on any error it sees; `kill -9`
 * leaves it, so the next write of the same file removes the stale ones.
 *
 * @example
 * ```ts
 * const { dir, temp } = tempBeside("/home/ana/.claude.json");
 * // dir: "/home/ana/", temp: "/home/ana/..claude.json.1a2b3c4d5e6f.tmp"
 * await removeStaleTemps("/home/ana/.claude.json"); // [] when none were left
 * ```
 */
import { toHex } from "../audit/encoding.ts";
import { effectiveUid } from "./root_safe_path.ts";

/** How old a temp file must be before a later write takes it for a leftover: no write lasts so long. */
export const STALE_TEMP_AFTER_MS = 10 * 60 * 1000;

/** How many random bytes name a temp file (twice as many hex digits). */
const RANDOM_BYTES = 6;

/** The folder of `path` (with its separator) and a fresh temp file name in it. */
export function tempBeside(path: string): { dir: string; temp: string } {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "./" : path.slice(0, cut + 1);
  const suffix = toHex(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)));
  return { dir, temp: `${dir}.${path.slice(cut + 1)}.${suffix}.tmp` };
}

/**
 * Whether `entry` (a name in a folder) is a temp file of the file named
 * `name` there, as {@linkcode tempBeside} names them; nothing else matches.
 *
 * @example
 * ```ts
 * isTempOf("..claude.json.1a2b3c4d5e6f.tmp", ".claude.json"); // true
 * isTempOf("..claude.json.backup.tmp", ".claude.json"); // false
 * ```
 */
export function isTempOf(entry: string, name: string): boolean {
  const head = `.${name}.`;
  const tail = ".tmp";
  if (entry.length !== head.length + RANDOM_BYTES * 2 + tail.length) return false;
  if (!entry.startsWith(head) || !entry.endsWith(tail)) return false;
  return /^[0-9a-f]+$/.test(entry.slice(head.length, entry.length - tail.length));
}

/** Options for {@linkcode removeStaleTemps}. */
export interface RemoveStaleTempsOptions {
  /** The time now, in ms (default `Date.now()`). */
  now?: number;
  /** How old a leftover must be (default {@linkcode STALE_TEMP_AFTER_MS}). */
  olderThanMs?: number;
}

/**
 * Removes the temp files of `path` ({@linkcode isTempOf}) that a killed
 * writer left: plain files (never a link or a folder) last written at least
 * `olderThanMs` ago and owned by this user (run as root, also those owned by
 * the folder's owner, to whom root gives the files it writes there).
 * Best effort: what cannot be listed or removed is left as it is. Returns
 * the paths removed.
 */
export async function removeStaleTemps(
  path: string,
  options: RemoveStaleTempsOptions = {},
): Promise<string[]> {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = cut < 0 ? "./" : path.slice(0, cut + 1);
  const name = path.slice(cut + 1);
  const before = (options.now ?? Date.now()) - (options.olderThanMs ?? STALE_TEMP_AFTER_MS);
  const removed: string[] = [];
  try {
    let owners: Set<number> | undefined;
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !isTempOf(entry.name, name)) continue;
      const temp = `${dir}${entry.name}`;
      const info = await Deno.lstat(temp).catch(() => undefined);
      if (info === undefined || !info.isFile) continue;
      if (info.mtime === null || info.mtime.getTime() > before) continue;
      owners ??= await ownersToClean(dir);
      if (info.uid !== null && !owners.has(info.uid)) continue;
      try {
        await Deno.remove(temp);
        removed.push(temp);
      } catch {
        // Someone else's, or gone already: left to them.
      }
    }
  } catch {
    // A folder that cannot be listed keeps its leftovers; the write goes on.
  }
  return removed;
}

/** The owners whose leftovers this process removes: itself, and as root the folder's owner. */
async function ownersToClean(dir: string): Promise<Set<number>> {
  const self = effectiveUid();
  const owners = new Set<number>(self === null ? [] : [self]);
  if (self === 0) {
    const folder = await Deno.stat(dir).catch(() => undefined);
    if (folder?.uid !== null && folder?.uid !== undefined) owners.add(folder.uid);
  }
  return owners;
}
