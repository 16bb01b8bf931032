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
 * `~` and a user name as an account is given one by default (Debian's
 * `NAME_REGEX`, `^[a-z][-a-z0-9_]*\$?$`, with capitals and a leading `_`
 * as macOS and Windows accounts have them), maybe with the domain SSSD adds
 * (`~alice@corp.example`), up to a `/` (or `\` where it separates segments)
 * or the end. A name with a dot is a file's (`~notes.txt`), and `~$lock.docx`,
 * `~~` and `~1` name no user.
 */
const TILDE_USER =
  /^~([A-Za-z_][A-Za-z0-9_-]{0,63}\$?(?:@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{1,63})?)(?=\/|\\|$)/;

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
  const m = TILDE_USER.exec(text);
  if (m === null) return [];
  const user = m[1]!;
  const rest = text.slice(m[0].length);
  // "\" after the name separates only where it is a separator.
  if (rest.charCodeAt(0) === 92 && os !== "windows") return [];
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
