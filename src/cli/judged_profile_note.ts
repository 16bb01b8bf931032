/**
 * The line `wrap-config` prints when it judged the servers by another
 * profile than the one of the user running it (see `judged_profile.ts`):
 * run as root on another user's config, what `thoth run` would refuse to
 * start with is judged by the policy and intent map of the config's owner,
 * not root's, and a person reading the output must not have to guess which.
 * Nothing is said when the profile is this user's own or the one `THOTH_HOME`
 * names (whoever set it chose it). What could not be read of the owner's
 * profile makes it a warning.
 *
 * @example
 * ```ts
 * judgedProfileNote(
 *   { path: "/home/ana/.thoth", source: "owner", ownerUid: 1000, config: "/home/ana/.cursor/mcp.json", notRead: [] },
 *   "/root/.thoth",
 * );
 * // 'thoth: note: servers judged by the profile of uid 1000, who owns "/home/ana/.cursor/mcp.json": …'
 * ```
 */
import type { JudgedProfileFacts } from "./judged_profile.ts";

/**
 * The line for `profile` (`own` is this user's profile folder), without its
 * end of line; "" when there is nothing to say.
 */
export function judgedProfileNote(profile: JudgedProfileFacts, own: string): string {
  if (profile.source !== "owner") return "";
  const where = profile.path === null ? "none known" : `"${profile.path}"`;
  const unread = profile.notRead.length === 0 ? "" : `; not read: ${profile.notRead.join("; ")}`;
  const level = profile.notRead.length === 0 ? "note" : "warning";
  return `thoth: ${level}: servers judged by the profile of uid ${profile.ownerUid}, who owns ` +
    `"${profile.config}": ${where} (the policy and intent map its thoth run reads), not by ` +
    `this user's ("${own}")${unread}`;
}
