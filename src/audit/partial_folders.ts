/**
 * The hidden folders a new folder is written in before it is renamed into
 * place (`.NAME.<12 hex>.partial`, beside it), and the ones a killed write
 * left behind. The name stays within the 255 bytes a file name may take: a
 * long NAME is cut and a hash of it added, so the same target always gets the
 * same stem. A leftover nothing has written to for {@linkcode STALE_MS} is
 * removed by the next write to the same target; a younger one may belong to
 * a write still running, and is only reported.
 *
 * @example
 * ```ts
 * const stem = await partialStem("q3");           // "q3"
 * const temp = `/media/usb/.${stem}.${hex}.partial`;
 * const left = await sweepPartialFolders("/media/usb", stem, Date.now());
 * left.removed; // ["/media/usb/.q3.0123456789ab.partial"]
 * ```
 */
import { toHex } from "./encoding.ts";

/** How long a leftover must have been left alone before it counts as abandoned. */
export const STALE_MS = 10 * 60_000;

/** The longest file name most file systems take, in bytes. */
const NAME_MAX = 255;
/** What `.` + `.<12 hex>.partial` add to the stem. */
const ADDED = 1 + 1 + 12 + ".partial".length;

/** Unfinished folders a killed write left beside a target. */
export interface LeftFolders {
  /** Removed: nothing had written to them for {@linkcode STALE_MS}. */
  removed: string[];
  /** Left alone: written to lately, perhaps by a write still running. */
  recent: string[];
}

const encoder = new TextEncoder();

/** The stem of the temporary name for a target named `base` (its last path element). */
export async function partialStem(base: string): Promise<string> {
  if (encoder.encode(base).length + ADDED <= NAME_MAX) return base;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(base)));
  const hash = toHex(digest.subarray(0, 4));
  const room = NAME_MAX - ADDED - 1 - hash.length;
  let cut = "";
  for (const char of base) {
    if (encoder.encode(cut + char).length > room) break;
    cut += char;
  }
  return `${cut}~${hash}`;
}

/** The temporary name for `stem`: `.STEM.<12 hex>.partial`. */
export function partialName(stem: string): string {
  return `.${stem}.${toHex(crypto.getRandomValues(new Uint8Array(6)))}.partial`;
}

/**
 * Finds the leftovers for `stem` in `parent` (`parentPrefix` is how paths in
 * it are written, `""` for the working folder), removes those nothing wrote
 * to for {@linkcode STALE_MS} before `now`, and lists the rest. Only real
 * folders of exactly that name shape are touched, never a link. Best effort:
 * one it cannot read or remove is listed as recent.
 */
export async function sweepPartialFolders(
  parent: string,
  parentPrefix: string,
  stem: string,
  now: number,
): Promise<LeftFolders> {
  const left: LeftFolders = { removed: [], recent: [] };
  const prefix = `.${stem}.`;
  let names: string[];
  try {
    names = [];
    for await (const entry of Deno.readDir(parent)) {
      const middle = entry.name.slice(prefix.length, -".partial".length);
      if (
        entry.isDirectory && entry.name.startsWith(prefix) && entry.name.endsWith(".partial") &&
        /^[0-9a-f]{12}$/.test(middle)
      ) {
        names.push(entry.name);
      }
    }
  } catch {
    return left;
  }
  for (const name of names.sort()) {
    const path = `${parentPrefix}${name}`;
    const last = await lastWritten(path);
    if (last !== undefined && now - last >= STALE_MS) {
      try {
        await Deno.remove(path, { recursive: true });
        left.removed.push(path);
        continue;
      } catch {
        // Listed below as still there.
      }
    }
    left.recent.push(path);
  }
  return left;
}

/**
 * When anything in the folder was last written: the newest modification
 * time of the folder, its entries and theirs (a bundle is two levels deep);
 * undefined when it cannot be told.
 */
async function lastWritten(path: string): Promise<number | undefined> {
  let newest = -Infinity;
  const visit = async (at: string, depth: number): Promise<boolean> => {
    const info = await Deno.lstat(at).catch(() => undefined);
    if (info === undefined || info.mtime === null) return false;
    newest = Math.max(newest, info.mtime.getTime());
    if (!info.isDirectory || depth === 0) return true;
    try {
      for await (const entry of Deno.readDir(at)) {
        if (!(await visit(`${at}/${entry.name}`, depth - 1))) return false;
      }
    } catch {
      return false;
    }
    return true;
  };
  return await visit(path, 2) ? newest : undefined;
}
