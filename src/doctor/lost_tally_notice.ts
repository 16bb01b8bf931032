/**
 * What the audit check (`thoth doctor`, and `thoth health`'s audit message)
 * says of the lost tallies (see `lost_tally_health.ts`), or null when there
 * is nothing to say: a folder that cannot hold a session's tally, tallies
 * sessions refused and set aside, tallies whose MAC this profile cannot
 * check. Each is a warning, never a failure: governed calls still go, and
 * the log itself is as its status says. Pure.
 *
 * @example
 * ```ts
 * lostTallyNotice({ folderProblem: null, refused: { files: 1, oldest: "s-1.tally", oldestMs: 90_000 }, unchecked: 0 })
 *   ?.message; // "1 lost tally file(s) refused and set aside, never taken into the log (oldest \"s-1.tally\", 90s old): …"
 * ```
 */
import { displayText } from "../approval/display_text.ts";
import type { LostTallyHealth } from "../audit/lost_tally_health.ts";
import { NO_TALLY_WORDS } from "../audit/lost_tally_folder.ts";

/** The audit check's words on the lost tallies `tallies` (absent or null: not looked at). */
export function lostTallyNotice(
  tallies: LostTallyHealth | null | undefined,
): { message: string; hint: string } | null {
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
  return messages.length === 0 ? null : { message: messages.join("; "), hint: hints.join("; ") };
}
