/**
 * Setting aside the spool files a recovering session refused (see
 * `take_orphan_spools.ts`): each is renamed in the spool folder to a name no
 * session claims (`<name>.refused`, see `refusedName`), kept as it was, said
 * on stderr with the reason, and recorded by one `spool_refused` record with
 * the SHA-256 of its bytes. None of its records reaches the log, and no
 * later session takes it again.
 *
 * The bytes are summed up ({@linkcode digestRefused}) while the files are
 * still claimed, before anything may stop the session from recording them;
 * the renames and the records ({@linkcode setAside}) follow at once, with
 * nothing awaited in between.
 *
 * @example
 * ```ts
 * const digests = await digestRefused(refused);
 * queue.push(...setAside(intake, refused, digests));
 * ```
 */
import { refusedName } from "../audit/spool_claims.ts";
import type { SpoolRefusedEvent } from "../audit/record.ts";
import { digestSpoolFile, type SpoolFileDigest } from "../audit/spool_file_digest.ts";
import { displayText } from "../approval/display_text.ts";
import { spoolFileSession } from "../audit/read_spool_file.ts";
import type { ClaimedSpool, SpoolIntake } from "./take_orphan_spools.ts";

/** The longest reason a `spool_refused` record keeps, in characters. */
const REASON_MAX = 500;

/**
 * The bytes of each refused file of `files`, summed up (see
 * `digestSpoolFile`); a file that cannot be read gets its size alone, as far
 * as it can be known.
 *
 * @example
 * ```ts
 * const digests = await digestRefused(claimed.filter((file) => file.refused !== undefined));
 * ```
 */
export async function digestRefused(
  files: readonly ClaimedSpool[],
): Promise<Map<ClaimedSpool, SpoolFileDigest>> {
  const digests = new Map<ClaimedSpool, SpoolFileDigest>();
  for (const file of files) {
    try {
      digests.set(file, await digestSpoolFile(file.mine));
    } catch {
      let bytes = 0;
      try {
        bytes = Deno.statSync(file.mine).size;
      } catch {
        // Nothing more is known of it.
      }
      digests.set(file, { bytes, lines: 0 });
    }
  }
  return digests;
}

/**
 * Renames each of `files` (refused, claimed by this session) to its
 * refused name, notes it on stderr, and returns the records that say so,
 * one per file. A file the intake's own session wrote (one it let go and
 * takes back, see `let_go_spools.ts`) is said to be its own, not one
 * another session left.
 *
 * @example
 * ```ts
 * const records = setAside(intake, refused, digests);
 * ```
 */
export function setAside(
  intake: SpoolIntake,
  files: readonly ClaimedSpool[],
  digests: ReadonlyMap<ClaimedSpool, SpoolFileDigest>,
): SpoolRefusedEvent[] {
  const records: SpoolRefusedEvent[] = [];
  for (const file of files) {
    const name = baseName(file.path);
    const reason = displayText(file.refused ?? "refused", REASON_MAX);
    const digest = digests.get(file) ?? { bytes: 0, lines: 0 };
    let movedTo: string | undefined;
    let unmoved = "";
    try {
      const target = refusedName(file.path, exists);
      Deno.renameSync(file.mine, target);
      movedTo = baseName(target);
    } catch (error) {
      unmoved = `; it could not be set aside (${
        error instanceof Error ? error.message : String(error)
      }) and stays as ${shownName(baseName(file.mine))}`;
    }
    const whose = spoolFileSession(file.path) === intake.session
      ? `this session's own audit spool file ${shownName(name)}`
      : `the audit spool file ${shownName(name)} another session left`;
    intake.note(
      `warning: refused ${whose}: ` +
        `${reason}; none of its ${digest.lines} line(s) is taken into the audit log` +
        (movedTo === undefined
          ? unmoved
          : `; it is kept as ${shownName(movedTo)} in ${JSON.stringify(folder(file.path))}`) +
        ` (a spool_refused record says so; "thoth audit verify" warns of it)`,
    );
    records.push({
      type: "spool_refused",
      session: intake.session,
      file: name,
      ...(movedTo === undefined ? {} : { movedTo }),
      lines: digest.lines,
      bytes: digest.bytes,
      reason,
      ...(digest.sha256 === undefined ? {} : { sha256: digest.sha256 }),
    });
  }
  return records;
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A file name from the spool folder (anyone who can write it chose it), quoted for stderr. */
function shownName(name: string): string {
  return JSON.stringify(displayText(name, 120));
}

function baseName(path: string): string {
  return path.split("/").pop() ?? path;
}

function folder(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf("/")));
}
