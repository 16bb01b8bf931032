/**
 * Removes the folders kdialog's text windows read their question from (see
 * `dialog_runner.ts`) that an earlier thoth left behind: one that was
 * killed, or lost power, while a window was open never removed its folder,
 * and the folder holds the command and paths a call would have used. Only
 * folders named with {@linkcode QUESTION_FOLDER_PREFIX}, owned by the user
 * who owns `own` (the folder just made, so no user id is read from the
 * environment), not links, holding nothing but a question's file (no
 * other folder that happens to share the prefix), and older than the
 * longest approval timeout (no dialog stays open longer, so none is still
 * read) are removed; each
 * failure is skipped, as the folder is this user's alone (0700).
 *
 * @example
 * ```ts
 * const own = await Deno.makeTempDir({ prefix: QUESTION_FOLDER_PREFIX });
 * await removeStaleQuestionFolders(own, Date.now());
 * ```
 */
import { MAX_APPROVAL_TIMEOUT_S } from "./approval_timeout.ts";

/** How the name of a question's folder begins. */
export const QUESTION_FOLDER_PREFIX = "thoth-approval-";

/** How old a question's folder is before it can only have been left behind. */
export const STALE_QUESTION_MS = MAX_APPROVAL_TIMEOUT_S * 1000;

/** The name of the file a question's folder holds. */
export const QUESTION_FILE = "question.txt";

/** Whether folder `path` holds nothing but a question's file (as the runner makes it). */
async function onlyQuestion(path: string): Promise<boolean> {
  for await (const entry of Deno.readDir(path)) {
    if (entry.name !== QUESTION_FILE || !entry.isFile) return false;
  }
  return true;
}

/** Removes the stale question folders beside `own` (see above); `now` in epoch milliseconds. */
export async function removeStaleQuestionFolders(own: string, now: number): Promise<number> {
  const cut = Math.max(own.lastIndexOf("/"), own.lastIndexOf("\\"));
  if (cut <= 0) return 0;
  const parent = own.slice(0, cut);
  const sep = own[cut]!;
  let removed = 0;
  try {
    const owner = (await Deno.lstat(own)).uid;
    for await (const entry of Deno.readDir(parent)) {
      const path = `${parent}${sep}${entry.name}`;
      if (!entry.name.startsWith(QUESTION_FOLDER_PREFIX) || path === own) continue;
      try {
        const info = await Deno.lstat(path);
        const changed = info.mtime?.getTime();
        if (!info.isDirectory || info.isSymlink || info.uid !== owner) continue;
        if (changed === undefined || now - changed <= STALE_QUESTION_MS) continue;
        if (!(await onlyQuestion(path))) continue;
        await Deno.remove(path, { recursive: true });
        removed++;
      } catch {
        // Gone meanwhile, or not this user's to remove: not this sweep's business.
      }
    }
  } catch {
    // The temp folder cannot be listed: nothing is removed, and the dialog goes on.
  }
  return removed;
}
