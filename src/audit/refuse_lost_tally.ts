/**
 * Setting aside a lost tally a session will not take into the log (see
 * `take_in_lost_tallies.ts`): one whose MAC does not verify under the
 * device's audit key, that carries none, that names another session than
 * its file's name, or that holds no tally. It is moved, as it was, to
 * `audit/lost/refused/` (under its name, then `-2`, `-3`, … while that one
 * is taken), said on stderr, and told of by one `spool_refused` record
 * (`file` `lost/<name>`, `movedTo` `lost/refused/<name>`, its size, SHA-256
 * and the reason), which `thoth audit verify` warns of and which accounts
 * for nothing. Never through a symbolic link at `audit/lost/refused` (nor
 * into anything else there that is no folder): the tally then stays where it
 * is, and the record says why it was not moved. {@linkcode refusalReason}
 * says why a tally is refused (pure);
 * {@linkcode setTallyAside} moves it (thin I/O).
 *
 * @example
 * ```ts
 * const reason = refusalReason("s-1.tally", read); // undefined: it may be taken in
 * if (reason !== undefined) records.push(setTallyAside(dir, "s-1.tally", bytes, size, reason, "s-2", note));
 * ```
 */
import { displayText } from "../approval/display_text.ts";
import type { LostTallyRead } from "./lost_tally.ts";
import type { SpoolRefusedEvent } from "./record.ts";
import { toHex } from "./encoding.ts";
import { sha256 } from "./sha256.ts";

/** The folder, under the lost tallies', that refused tallies are moved to. */
export const REFUSED_TALLIES = "refused";

/** The longest reason a record keeps, and the longest name shown, in characters. */
const SHOWN_MAX = 200;

/**
 * Why the tally `read` (or the problem found instead of one) in the file
 * `name` is refused; undefined when its MAC verifies and it is its file's
 * session's. A tally whose MAC was not checked (no key) is neither: see
 * `take_in_lost_tallies.ts`.
 */
export function refusalReason(
  name: string,
  read: LostTallyRead | { problem: string },
): string | undefined {
  if ("problem" in read) return `the lost tally cannot be read (${read.problem})`;
  const session = read.tally.session;
  if (read.mac === "failed") {
    return "its MAC does not verify with this profile's audit key: this profile's thoth did " +
      "not write it (another profile's thoth, or someone else, did)";
  }
  if (read.mac === "none") {
    return "it carries no MAC, which thoth writes on every tally that counts a loss";
  }
  if (`${session}.tally` !== name) {
    return `it names session ${
      JSON.stringify(displayText(session, SHOWN_MAX))
    }, not the session of its file's name`;
  }
  return undefined;
}

/**
 * Moves the tally `name` (`size` bytes long, its first `bytes` as read)
 * from the lost tallies' folder `dir` to the refused folder, notes it, and
 * returns the record that tells of it, written by session `session` (with
 * the SHA-256 of its bytes when all were read). A tally that cannot be
 * moved stays, and the record says so (no `movedTo`).
 */
export function setTallyAside(
  dir: string,
  name: string,
  bytes: Uint8Array,
  size: number,
  reason: string,
  session: string,
  note: (message: string) => void,
): SpoolRefusedEvent {
  const shown = JSON.stringify(displayText(`lost/${name}`, SHOWN_MAX));
  let movedTo: string | undefined;
  let unmoved = "";
  try {
    // Never through a link (or into anything else that is no folder): it stays then.
    const there = refusedFolderInfo(dir);
    if (there !== null && !there.isDirectory) {
      throw new Error(
        `"lost/${REFUSED_TALLIES}" is ${
          there.isSymlink ? "a symbolic link, never followed" : "not a folder"
        }`,
      );
    }
    if (there === null) Deno.mkdirSync(`${dir}/${REFUSED_TALLIES}`, { mode: 0o700 });
    const target = freeName(`${dir}/${REFUSED_TALLIES}`, name);
    Deno.renameSync(`${dir}/${name}`, `${dir}/${REFUSED_TALLIES}/${target}`);
    movedTo = `lost/${REFUSED_TALLIES}/${target}`;
  } catch (error) {
    unmoved = `; it could not be set aside (${
      error instanceof Error ? error.message : String(error)
    }) and stays`;
  }
  note(
    `warning: refused the lost tally ${shown} a dead session left: ${reason}; nothing it ` +
      "counts is taken into the audit log" +
      (movedTo === undefined
        ? unmoved
        : `; it is kept as ${
          JSON.stringify(displayText(movedTo, SHOWN_MAX))
        } in the audit folder`) +
      ` (a spool_refused record says so; "thoth audit verify" warns of it)`,
  );
  return {
    type: "spool_refused",
    session,
    file: `lost/${name}`,
    ...(movedTo === undefined ? {} : { movedTo }),
    lines: size === 0 ? 0 : 1,
    bytes: size,
    reason: displayText(reason, 500),
    ...(bytes.length === size ? { sha256: toHex(sha256(bytes)) } : {}),
  };
}

/** `lstat` of the refused folder under `dir`; null when absent (a session makes it). */
function refusedFolderInfo(dir: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(`${dir}/${REFUSED_TALLIES}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** `name`, or `name-2`, `name-3`, … : the first no file in `dir` has. */
function freeName(dir: string, name: string): string {
  for (let n = 1;; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    try {
      Deno.lstatSync(`${dir}/${candidate}`);
    } catch {
      return candidate;
    }
  }
}
