/**
 * Whether an error's words, as a record or a lost tally keeps them (its
 * `reason`), say that the disk was full: no space left on the device, or a
 * disk quota exceeded. Said in English by the words, or by the error's
 * number, which is the operating system's own (`os` of the machine that
 * wrote them: the device's): 28 or 122 on Linux, 28 or 69 on macOS and the
 * BSDs, 112 or 39 on Windows (whose words follow its language). The hint
 * that goes with it names the disk by the profile it holds. Pure.
 *
 * @example
 * ```ts
 * saysDiskFull("cannot write the audit spool: No space left on device (os error 28)", "linux"); // true
 * saysDiskFull("cannot write the audit spool: Permission denied (os error 13)", "linux"); // false
 * freeSpaceHint("/home/ana/.thoth"); // "free space on the disk holding THOTH_HOME ('/home/ana/.thoth'), …"
 * ```
 */
import { shellQuote } from "../doctor/shell_quote.ts";

/** The words of a full disk, as Linux, macOS and English Windows say them. */
const FULL_WORDS =
  /no space left on device|not enough space on the disk|the disk is full|dis[ck] quota exceeded/i;

/** The numbers of a full disk's errors, by operating system (as `Deno.build.os` names it). */
function fullNumbers(os: string): RegExp {
  if (os === "windows") return /\(os error (?:39|112)\)/;
  if (os === "linux" || os === "android") return /\(os error (?:28|122)\)/;
  return /\(os error (?:28|69)\)/;
}

/** Whether the error words `text`, written on a machine of `os`, say the disk was full. */
export function saysDiskFull(text: string, os: string): boolean {
  return FULL_WORDS.test(text) || fullNumbers(os).test(text);
}

/** What to do about a full disk under the profile `thothHome`: one hint, the path shell-quoted. */
export function freeSpaceHint(thothHome: string): string {
  return `free space on the disk holding THOTH_HOME (${shellQuote(thothHome)}): while it ` +
    'is full, thoth refuses every governed tool call; then run "thoth doctor" again';
}
