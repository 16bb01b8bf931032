/**
 * `approverName()`: who answers an approval at this machine, as the audit
 * records it: the OS user this process runs as, by its uid and the password
 * file, so a changed `USER` (`USER=ceo@example.com`) does not rename the
 * approver. `USER` (or `USERNAME`) only where the password file cannot be
 * read (Windows, or a process not allowed to read it).
 *
 * @example
 * ```ts
 * approverName(Deno.env.toObject()); // "ana", whatever USER says
 * ```
 *
 * Kept apart from `create_approver.ts`: `thoth run`'s main thread names the
 * approver, and importing the approval engine there would load it (and the
 * detectors it uses) a second time, next to the worker's copy, for the life
 * of the session.
 */
import { passwdName } from "../platform/passwd_home.ts";
import { displayText } from "./display_text.ts";

/** The OS user this process runs as, for the audit; `env` only as the last resort. */
export function approverName(env: Readonly<Record<string, string | undefined>>): string {
  if (Deno.build.os !== "windows") {
    try {
      const uid = Deno.uid();
      const name = uid === null ? undefined : uidName(uid);
      if (name !== undefined) return name;
    } catch {
      // No permission or no password file: the environment's word for it.
    }
  }
  return osUser(env);
}

/**
 * The name the password file gives `uid`, as approvers are named (shortened
 * for display); undefined when it has no entry for the uid. Throws when the
 * file cannot be read. `readPasswd` is injectable for tests.
 *
 * @example
 * ```ts
 * uidName(1000, () => "ana:x:1000:1000::/home/ana:/bin/sh\n"); // "ana"
 * ```
 */
export function uidName(
  uid: number,
  readPasswd: () => string = () => Deno.readTextFileSync("/etc/passwd"),
): string | undefined {
  const name = passwdName(readPasswd(), uid);
  return name === undefined ? undefined : displayText(name, 64);
}

/** The OS user running thoth, from the environment (changeable: prefer `approverName()`). */
export function osUser(env: Readonly<Record<string, string | undefined>>): string {
  const user = env["USER"] || env["USERNAME"] || env["LOGNAME"];
  return user ? displayText(user, 64) : "the local user";
}
