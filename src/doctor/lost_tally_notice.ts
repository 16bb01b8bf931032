/**
 * What the audit check (`thoth doctor`, and `thoth health`'s audit message)
 * says of the lost tallies (see `lost_tally_health.ts`), or null when there
 * is nothing to say: a folder that cannot hold a session's tally, something
 * other than a folder (a link) where refused tallies are set aside, tallies
 * this user cannot read, tallies of sessions that ended waiting to be
 * taken into the log (as spool files wait: how many records they count,
 * and why they were lost; a hint to free space when a reason says the disk
 * was full), tallies of sessions that ended that the next session will
 * refuse (a MAC that does not verify with this profile's key, say), tallies
 * sessions refused and set aside, tallies whose MAC this profile cannot
 * check. Each is a warning, never a failure: governed calls still go, and
 * the log itself is as its status says. One hint for each, in that order
 * (doctor shows one line each). Pure.
 *
 * @example
 * ```ts
 * lostTallyNotice({ folderProblem: null, refused: { files: 1, oldest: "s-1.tally", oldestMs: 90_000 }, unchecked: 0, waiting: 0, unvouched: 0 })
 *   ?.message; // "1 lost tally file(s) refused and set aside, never taken into the log (oldest \"s-1.tally\", 90s old): …"
 * ```
 */
import { displayText } from "../approval/display_text.ts";
import type { LostTallyHealth } from "../audit/lost_tally_health.ts";
import { NO_REFUSED_WORDS, NO_TALLY_WORDS } from "../audit/lost_tally_folder.ts";
import { freeSpaceHint } from "../audit/disk_full_words.ts";

/**
 * The audit check's words on the lost tallies `tallies` (absent or null: not
 * looked at); `unwritable`: the audit log cannot be written, so no session
 * takes the waiting ones in (no hint for them then: the log's own says what
 * makes it writable).
 */
export function lostTallyNotice(
  tallies: LostTallyHealth | null | undefined,
  unwritable = false,
): { message: string; hints: string[] } | null {
  if (tallies === undefined || tallies === null) return null;
  const messages: string[] = [];
  const hints: string[] = [];
  const folder = tallies.folderProblem;
  if (folder !== null) {
    messages.push(`${folder.problem}: ${NO_TALLY_WORDS}`);
    hints.push(
      folder.fix.startsWith("mv ")
        ? `look at it, then run: ${folder.fix} (the next thoth session makes the folder)`
        : `run: ${folder.fix}`,
    );
  }
  const aside = tallies.refusedFolderProblem ?? null;
  if (aside !== null) {
    messages.push(`${aside.problem}: ${NO_REFUSED_WORDS}`);
    hints.push(
      `look at it, then run: ${aside.fix} (the next session that refuses a tally makes the folder)`,
    );
  }
  const unreadable = tallies.unreadable ?? 0;
  if (unreadable > 0) {
    messages.push(
      `${unreadable} lost tally file(s) in THOTH_HOME/audit/lost cannot be read by this user: ` +
        "no session takes them in or sets them aside, so what they count (decisions or " +
        "approvals a killed session lost) is unknown",
    );
    hints.push(
      "give the user thoth runs as back read and write access to them (chmod 600 on each, " +
        'owned by that user); "thoth audit verify" names each, and the next session takes ' +
        "them in",
    );
  }
  const waiting = tallies.waiting;
  if (waiting > 0) {
    messages.push(
      `${waiting} lost tally file(s) of sessions that ended count ${lostWords(tallies)}, ` +
        "which wait to be taken into the log (a decisions_lost record each): " +
        (unwritable
          ? "no session takes them in until the audit log can be written"
          : "the next thoth session to start takes them in"),
    );
    const full = tallies.fullDisk ?? null;
    if (full !== null) hints.push(freeSpaceHint(full));
    if (!unwritable) {
      hints.push(
        'start any governed server, then run "thoth audit verify": what the tallies count is ' +
          "then told in the chained log, and they are gone",
      );
    }
  }
  const unvouched = tallies.unvouched;
  if (unvouched > 0) {
    messages.push(
      `${unvouched} lost tally file(s) of sessions that ended count losses thoth cannot ` +
        "vouch for (a MAC that does not verify with this profile's audit key: forged, or " +
        "signed with another profile's key; no MAC; another session's name; bytes that are " +
        "no tally): the next thoth session refuses them, sets them aside in " +
        "THOTH_HOME/audit/lost/refused and takes nothing they count into the log",
    );
    hints.push(
      'run "thoth audit verify" (it says what each counts and why it is refused) and look at ' +
        "the files in THOTH_HOME/audit/lost: one another profile's thoth wrote belongs to that " +
        "profile's audit folder",
    );
  }
  const refused = tallies.refused;
  if (refused !== null) {
    messages.push(
      `${refused.files} lost tally file(s) refused and set aside, never taken into the log ` +
        `(oldest ${JSON.stringify(displayText(refused.oldest, 120))}, ` +
        `${Math.floor(refused.oldestMs / 1000)}s old): a session could not vouch for them (a ` +
        "MAC that fails or is missing, another session's name, no tally at all), so nothing " +
        "they count accounts for a missing record",
    );
    hints.push(
      'run "thoth audit verify" (it names the spool_refused record of each, and why) and look ' +
        "at the files in THOTH_HOME/audit/lost/refused; once looked at, move them to a place " +
        "you keep evidence in: this warning then goes",
    );
  }
  if (tallies.unchecked > 0) {
    messages.push(
      `${tallies.unchecked} lost tally file(s) of sessions that ended count lost decisions or ` +
        "approvals under a MAC thoth cannot check here: the device's audit key " +
        "(THOTH_HOME/keys/audit-hmac.key) cannot be read, so no session takes them into the " +
        "log or removes them until one that can read the key runs",
    );
    hints.push(
      "restore THOTH_HOME/keys/audit-hmac.key from a backup of this profile (the next " +
        "session then takes the tallies in, or refuses them); if the key is lost for good, " +
        'look at the tallies in THOTH_HOME/audit/lost ("thoth audit verify" says what each ' +
        "counts), then remove them",
    );
  }
  return messages.length === 0 ? null : { message: messages.join("; "), hints };
}

/**
 * What the waiting tallies of `tallies` count, and why they lost it (their
 * reasons, file content, made safe to show), in words.
 */
function lostWords(tallies: LostTallyHealth): string {
  const records = tallies.waitingRecords;
  const what = records === undefined
    ? "decisions or approvals they lost"
    : `${records} decision or approval record(s) they lost`;
  const reasons = tallies.waitingReasons ?? [];
  if (reasons.length === 0) return what;
  const shown = reasons.map((reason) => JSON.stringify(displayText(reason, REASON_SHOWN_MAX)));
  const full = tallies.fullDisk === undefined || tallies.fullDisk === null
    ? ""
    : "; the disk was full";
  return `${what} (why: ${shown.join(", ")}${full})`;
}

/** The most characters of a tally's reason shown. */
const REASON_SHOWN_MAX = 160;
