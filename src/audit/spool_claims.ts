/**
 * The names a spool file takes when a session claims it to take it in
 * ({@linkcode claimedName}: `<name>.claimed-<session>`) or when a
 * recovering session refuses it ({@linkcode refusedName}:
 * `<name>.refused`), and the checks on a claimed file: the copies other
 * sessions claimed ({@linkcode claimedCopies}) and whether a session's file
 * is still the one it holds ({@linkcode stillAt}). Names are pure; the
 * checks read the spool folder.
 *
 * @example
 * ```ts
 * claimedName("/p/audit/spool/s-1-2.jsonl", "s-4"); // "/p/audit/spool/s-1-2.jsonl.claimed-s-4"
 * refusedName("/p/audit/spool/s-1-2.jsonl.claimed-s-3", () => false); // "/p/audit/spool/s-1-2.jsonl.refused"
 * stillAt("/p/audit/spool/s-1-2.jsonl.claimed-s-4", ino); // false once taken in and removed
 * ```
 */
import { folderOf } from "../platform/durable_file.ts";
import { filesWithMtimes } from "./files_with_mtimes.ts";

/** What a session's claim adds to a spool file's name (see {@linkcode claimedName}). */
export const CLAIMED = /\.claimed-[^/]*$/;

/** How the name of a spool file a session refused ends (see {@linkcode refusedName}). */
export const REFUSED = /\.refused(?:-\d+)?$/;

/**
 * Whether `path` is still the file a session holds: there, and the same
 * inode (`ino`; null or undefined: any file there counts).
 */
export function stillAt(path: string, ino: number | null | undefined): boolean {
  try {
    const stat = Deno.statSync(path);
    return ino === null || ino === undefined || stat.ino === null || stat.ino === ino;
  } catch {
    return false;
  }
}

/**
 * The files another session claimed `path` under (`<name>.claimed-<session>`,
 * see {@linkcode claimedName}), but not `except`, each with its mtime in
 * epoch milliseconds.
 */
export function claimedCopies(
  path: string,
  except?: string,
): { path: string; modified: number }[] {
  const base = path.replace(CLAIMED, "");
  const dir = folderOf(base);
  const prefix = `${base.slice(dir.length + 1)}.claimed-`;
  const found: { path: string; modified: number }[] = [];
  const copies = filesWithMtimes(
    dir,
    (entry) => entry.name.startsWith(prefix) && `${dir}/${entry.name}` !== except,
  );
  // One taken in and removed meanwhile is left out.
  for (const { path, mtimeMs } of copies) found.push({ path, modified: mtimeMs ?? 0 });
  return found;
}

/**
 * The name a spool file a recovering session refused is set aside under, in
 * the spool folder: `<name>.refused` (then `.refused-2`, … while that one is
 * taken), after its name before any claim, which no session claims, takes in
 * or counts as waiting.
 *
 * @example
 * ```ts
 * refusedName("/p/audit/spool/s-1-2.jsonl.claimed-s-3", () => false); // "/p/audit/spool/s-1-2.jsonl.refused"
 * ```
 */
export function refusedName(path: string, taken: (path: string) => boolean): string {
  const base = `${path.replace(CLAIMED, "")}.refused`;
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}-${n}`;
  return name;
}

/**
 * The name `session` claims a spool file under (by renaming it, so that
 * only one session takes it in): a file claimed before by a session that
 * died is claimed under its first name.
 *
 * @example
 * ```ts
 * claimedName("/p/audit/spool/s-1-2.jsonl.claimed-s-3", "s-4"); // "/p/audit/spool/s-1-2.jsonl.claimed-s-4"
 * ```
 */
export function claimedName(path: string, session: string): string {
  return `${path.replace(CLAIMED, "")}.claimed-${session}`;
}
