/**
 * The name the password file gives a uid, where this process may read it
 * (never on Windows, where there are no uids): how a queue answer's writer
 * is named from the uid that owns its file.
 *
 * @example
 * ```ts
 * passwdNameOf(1000); // "ana", or undefined
 * ```
 */
import { passwdName } from "./passwd_home.ts";

/** The password file's name for `uid`, or undefined. */
export function passwdNameOf(uid: number): string | undefined {
  if (Deno.build.os === "windows") return undefined;
  try {
    if (Deno.permissions.querySync({ name: "read", path: "/etc/passwd" }).state !== "granted") {
      return undefined;
    }
    return passwdName(Deno.readTextFileSync("/etc/passwd"), uid);
  } catch {
    return undefined;
  }
}
