/**
 * What to do about a client config that cannot be read, when the reason the
 * system gave decides it: permission denied (let this user read it, or run
 * as the user it belongs to) or a special file such as `/dev/stdin` (pass the
 * file itself). `readConfigFile` gives it as the hint of `config.unreadable`,
 * so that `status`, `doctor` and `health` say what `wrap-config` and
 * `unwrap-config` say; null for other reasons, where the caller knows
 * better (a folder or a FIFO at the config's path). Pure.
 *
 * @example
 * ```ts
 * configReadFix(new Deno.errors.PermissionDenied("Permission denied"), "/home/ana/.cursor/mcp.json");
 * // 'let this user read "/home/ana/.cursor/mcp.json" (its owner and mode: ls -l
 * //  /home/ana/.cursor/mcp.json), or run thoth as the user the config belongs to'
 * ```
 */
import { singleQuoted } from "./command_line_words.ts";

/** The fix for `error` (thrown reading the config at `path`), or null. */
export function configReadFix(error: unknown, path: string): string | null {
  if (error instanceof Deno.errors.PermissionDenied) {
    const word = /^[\w./:@%+=,~\\-]+$/.test(path) ? path : singleQuoted(path);
    return `let this user read "${path}" (its owner and mode: ls -l ${word}), or run thoth as ` +
      "the user the config belongs to";
  }
  if (error instanceof Deno.errors.NotCapable) {
    return "pass the path of the config file itself: thoth reads a config from a regular file, " +
      "never from standard input or a device";
  }
  return null;
}
