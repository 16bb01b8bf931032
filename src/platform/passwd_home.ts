/**
 * What the password file says of a user: the home folder, and the name.
 * The home folder is what Node's
 * `os.homedir()` and Python's `expanduser` fall back to when `HOME` is not
 * set, so a server started without `HOME` still reads `~/x` there. Pure: the
 * file's text is passed in.
 *
 * @example
 * ```ts
 * passwdHome("root:x:0:0:root:/root:/bin/sh\nana:x:1000:1000::/home/ana:/bin/sh\n", 1000);
 * // "/home/ana"
 * passwdName("ana:x:1000:1000::/home/ana:/bin/sh\n", 1000); // "ana"
 * ```
 */

/** The home field of `uid`'s first line in `/etc/passwd` text, or undefined. */
export function passwdHome(text: string, uid: number): string | undefined {
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields.length < 7 || fields[2] !== String(uid)) continue;
    const home = fields[5]!;
    return home.startsWith("/") ? home.replace(/\/+$/, "") || "/" : undefined;
  }
  return undefined;
}

/** The login name of `uid`'s first line in `/etc/passwd` text, or undefined. */
export function passwdName(text: string, uid: number): string | undefined {
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields.length < 7 || fields[2] !== String(uid)) continue;
    return fields[0] === "" ? undefined : fields[0];
  }
  return undefined;
}
