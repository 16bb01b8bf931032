/**
 * The home folders `~user` usually names, read lexically (no password
 * database is consulted): shells, Python's `os.path.expanduser` and many
 * servers expand `~alice/x` to that user's home, which is `/root` for root
 * (`/var/root` on macOS), `/home/alice` on Linux, `/Users/alice` on macOS,
 * and most often a sibling of the current user's home (`C:\Users\alice`).
 * A deny rule must see each of them; the value is still read as a relative
 * name too.
 *
 * @example
 * ```ts
 * tildeUserHomes("~alice/.ssh/id_rsa", "/home/ana", "linux");
 * // ["/home/alice/.ssh/id_rsa", "/Users/alice/.ssh/id_rsa"]
 * tildeUserHomes("~root", undefined, "linux"); // ["/root"]
 * tildeUserHomes("~/x", "/home/ana", "linux"); // [] (the caller's own home, read elsewhere)
 * ```
 */

/**
 * `~` and a user name as `useradd` accepts one (a letter, digit or `_`
 * first, then those, `.` and `-`, maybe a final `$`: `~first.last`,
 * `~1user`), maybe with the domain SSSD adds (`~alice@corp.example`), up to
 * a `/` or the end. Bash and Python's `expanduser` look any such name up, so
 * `~notes.txt` is read as a home folder too (a rule that blocks may see a
 * file named so as one; an allow rule refuses it): a deny rule must not
 * miss `~first.last/.ssh`. `~$lock.docx` and `~~` name no user here.
 */
const TILDE_USER =
  /^~([A-Za-z0-9_][A-Za-z0-9._-]{0,63}\$?(?:@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{1,63})?)(?=\/|$)/;

/**
 * On Windows, `~` and any name up to a `/` or `\` or the end: Python's
 * `ntpath.expanduser` reads every `~name` as a sibling of the home folder
 * (`~$x\y` as `C:\Users\$x\y`), whatever the name.
 */
const TILDE_ANY = /^~([^/\\]{1,255})(?=\/|\\|$)/;

/**
 * The paths `text` (a value as written, composed) may name when its leading
 * `~user` is that user's home folder, or none. `home` is the current user's
 * home, whose parent usually holds the others'; `os` as in `Deno.build.os`.
 */
export function tildeUserHomes(
  text: string,
  home: string | undefined,
  os: string | undefined,
): string[] {
  if (text.charCodeAt(0) !== 126) return [];
  // "\" after the name separates only on Windows.
  const m = (os === "windows" ? TILDE_ANY : TILDE_USER).exec(text);
  if (m === null) return [];
  const user = m[1]!;
  const rest = text.slice(m[0].length);
  const homes = user === "root"
    ? os === "darwin" ? ["/var/root", "/root"] : ["/root"]
    : [`/home/${user}`, `/Users/${user}`];
  if (home !== undefined) {
    const cut = Math.max(home.lastIndexOf("/"), home.lastIndexOf("\\"));
    if (cut > 0) {
      const sibling = `${home.slice(0, cut)}/${user}`;
      if (!homes.includes(sibling)) homes.push(sibling);
    }
  }
  return homes.map((h) => h + rest);
}
