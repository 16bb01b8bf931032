/**
 * The warning `wrap-config` gives when the thoth path it writes into a
 * client config leads through a part another user can change (see
 * `platform/written_path_risk.ts`): the client would start whatever that
 * user put there, ungoverned, under the account the client runs as. The
 * path is written all the same (the user chose to run thoth from there);
 * from source, thoth's entry script and deno's config are judged as deno is;
 * the warning names the part, why, and the remedy. Pure.
 *
 * @example
 * ```ts
 * redirectablePathWarning("/shared/deno", { path: "/shared", uid: 0, why: "writable" }, false);
 * // "the thoth path written, /shared/deno, can be made to start another program: …"
 * ```
 */
import type { RedirectablePart } from "../platform/redirectable_part.ts";
import type { WrittenPathRole } from "../platform/written_path_risk.ts";

/**
 * The warning's text (without the `thoth: warning: ` prefix) for `path`,
 * written as thoth's command, whose part `part` another user can change;
 * `given` when `--thoth-path` named it, else it is the running thoth's (or,
 * from source, deno's) own path; `role` says, from source, that it is thoth's
 * entry script or deno's config file (`--config=`) instead.
 */
export function redirectablePathWarning(
  path: string,
  part: RedirectablePart,
  given: boolean,
  role: WrittenPathRole = "program",
): string {
  const what = given
    ? `the --thoth-path written, ${path},`
    : role === "script"
    ? `the thoth entry script written, ${path},`
    : role === "config"
    ? `the deno config written (--config), ${path},`
    : `the thoth path written, ${path},`;
  const owner = part.uid === null ? "" : ` (uid ${part.uid})`;
  const why = {
    owner: `${part.path} belongs to another user${owner}`,
    writable: `${part.path} may be written to by users other than its owner (group or others ` +
      "have write permission, and a folder no sticky bit)",
    missing: `${part.path} is not there or cannot be looked at, so who may change it is unknown`,
    loop: `${part.path} leads through more than 40 links in a row`,
  }[part.why];
  const fix = {
    owner: `have ${part.path} owned by you or root`,
    writable: `make ${part.path} writable by its owner only (chmod go-w ${part.path})`,
    missing: `check ${part.path}`,
    loop: `point it at the file directly`,
  }[part.why];
  const instead = given
    ? "pass a --thoth-path no other user can change (an installed thoth, in folders only you " +
      "or root may write to)"
    : "pass --thoth-path with an installed thoth no other user can change";
  return `${what} can be made to start another program: ${why}, so another user could put ` +
    "their own program there, which the client would start, ungoverned, under its account. " +
    `It is written all the same; ${instead}, or ${fix}, and run wrap-config again.`;
}
