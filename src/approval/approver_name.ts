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
 */
import { passwdName } from "../platform/passwd_home.ts";
import { osUser } from "./create_approver.ts";
import { displayText } from "./display_text.ts";

/** The OS user this process runs as, for the audit; `env` only as the last resort. */
export function approverName(env: Readonly<Record<string, string | undefined>>): string {
  if (Deno.build.os !== "windows") {
    try {
      const uid = Deno.uid();
      const name = uid === null ? undefined : passwdName(Deno.readTextFileSync("/etc/passwd"), uid);
      if (name !== undefined) return displayText(name, 64);
    } catch {
      // No permission or no password file: the environment's word for it.
    }
  }
  return osUser(env);
}
