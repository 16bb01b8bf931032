/**
 * What `thoth audit verify` finds in the lost tallies beside a device's log
 * (see `lost_tally.ts`): a session that lost decisions or approvals (its
 * spool could not take them: a full disk, an unwritable folder) and was
 * killed, or ended with a log that never took its last records, before the
 * log heard of them in a `decisions_lost` record. Each tally that counts
 * more than the log's `decisions_lost` records of its session tell is one
 * `decisions_untold` warning (exit 2), naming the session, how many of
 * which types, when and why; a tally whose MAC does not verify, or that
 * cannot be read, is reported too, as such. A tally whose session still
 * holds its lock is a running session's, said as such (verify only tries a
 * shared lock and lets it go at once: it never takes a tally in nor
 * removes one). The next session that opens the log takes a dead session's
 * tally in (see `take_in_lost_tallies.ts`): its `decisions_lost` record
 * then tells of what the tally counted, and the tally is gone; one whose
 * MAC does not verify, or that cannot be read, it sets aside instead (see
 * `refuse_lost_tally.ts`). A tally whose MAC cannot be checked (the audit
 * key cannot be read) is said to be waiting for a session that can read the
 * key, with what to do, even when the log tells of its losses already
 * (`lost_tally_unchecked`, a fact); something other than a folder in place
 * of `lost` (a symbolic link among them: never followed, since the tallies
 * where it points are not this profile's), and a folder verify cannot list,
 * are a `lost_tally_unusable` warning (see `lost_tally_folder.ts`), as is
 * something other than a folder at `lost/refused` (never followed), and a
 * tally it cannot read is a warning too: what it counts is unknown, which
 * is never "intact". Thin I/O: the tallies, the device's audit key,
 * and (only when a tally counts something) the log's segments, one at a
 * time.
 *
 * @example
 * ```ts
 * const findings = await lostTallyFindings(thothHome); // [] when no tally counts a loss
 * ```
 */
import { displayText } from "../approval/display_text.ts";
import { fromBase64 } from "./encoding.ts";
import type { Finding } from "./finding.ts";
import { auditPaths } from "./log_paths.ts";
import {
  decodeLostTally,
  LOST_TALLY_BYTES,
  LOST_TALLY_NAME,
  LostTallyMac,
  type LostTallyRead,
} from "./lost_tally.ts";
import { toldInLog } from "./lost_told_in_log.ts";
import { lostTallyFolderFinding, lstatOrNull, refusedFolderFinding } from "./lost_tally_folder.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { errorWords } from "./error_words.ts";

/** The longest session id, reason or time shown. */
const SHOWN_MAX = 200;

/** The `decisions_untold` findings of the lost tallies under `thothHome`; none when there are none. */
export async function lostTallyFindings(thothHome: string): Promise<Finding[]> {
  const paths = auditPaths(thothHome);
  const dir = `${paths.dir}/lost`;
  // Never followed: a link there (outside the profile, or another profile's folder) is named.
  const info = lstatOrNull(dir);
  if (info === null) return []; // Absent: no session lost anything yet.
  const uid = Deno.build.os === "windows" ? null : Deno.uid();
  if (!info.isDirectory) return [lostTallyFolderFinding(thothHome, info, undefined, uid)!];
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && LOST_TALLY_NAME.test(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return []; // Removed meanwhile.
    // Not listed: what a killed session left there is unknown, which is no "intact".
    return [lostTallyFolderFinding(thothHome, info, errorWords(error), uid)!];
  }
  const after = lstatOrNull(dir);
  if (after !== null && !after.isDirectory) {
    return [lostTallyFolderFinding(thothHome, after, undefined, uid)!]; // Replaced meanwhile.
  }
  // A link where refused tallies are set aside is never followed either: named.
  const aside = refusedFolderFinding(dir);
  const findings: Finding[] = aside === undefined ? [] : [aside];
  if (names.length === 0) return findings;
  const mac = await tallyMac(paths.hmacKey);
  const counting: { name: string; read: LostTallyRead; running: boolean }[] = [];
  for (const name of names.sort()) {
    let bytes: Uint8Array;
    try {
      bytes = await readRegularFile(`${dir}/${name}`, { limit: LOST_TALLY_BYTES });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue; // Its session ended meanwhile.
      findings.push(unreadFinding(name, error));
      continue;
    }
    const read = decodeLostTally(bytes, name, mac);
    if ("problem" in read) {
      if (bytes.every((byte) => byte === 0)) continue; // Made, never written: counts nothing.
      findings.push({
        kind: "decisions_untold",
        severity: "warning",
        source: `lost/${name}`,
        message: `the lost tally lost/${name} cannot be read (${read.problem}): a session ` +
          "rewrites its tally only when it loses a decision or approval, so one may be " +
          "missing from the log that no record tells of; the next thoth session sets it " +
          "aside as lost/refused/ in the audit folder with a spool_refused record, which " +
          "verify then warns of instead: look at it there, then remove it",
      });
      continue;
    }
    if (read.tally.count > 0) counting.push({ name, read, running: held(`${dir}/${name}`) });
  }
  if (counting.length === 0) return findings;
  const told = await toldInLog(paths.dir, new Set(counting.map((c) => c.read.tally.session)));
  for (const { name, read, running } of counting) {
    const finding = untoldFinding(name, read, told.get(read.tally.session) ?? 0, running) ??
      (read.mac === "unchecked" && !running ? uncheckedFinding(name, read) : undefined);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

/**
 * The finding for the tally in the file `name`, when it counts more losses
 * than the log's `decisions_lost` records of its session tell (`told`);
 * `running`: its session still holds it. Pure.
 */
export function untoldFinding(
  name: string,
  read: LostTallyRead,
  told: number,
  running = false,
): Finding | undefined {
  const { tally } = read;
  const untold = tally.count - told;
  if (untold <= 0) return undefined;
  const text = (value: string) => displayText(value, SHOWN_MAX);
  const types = Object.entries(tally.types).map(([type, n]) => `${text(type)} ${n}`);
  const when = tally.from === ""
    ? ""
    : tally.from === tally.until
    ? `, at ${text(tally.from)}`
    : `, between ${text(tally.from)} and ${text(tally.until)}`;
  const ids = tally.decisionIds.length === 0
    ? ""
    : `; the decision ids it names: ${tally.decisionIds.map(text).join(", ")}` +
      (tally.count > tally.decisionIds.length ? " (the first of them)" : "");
  const toldWords = told === 0
    ? "no decisions_lost record in the log tells of them"
    : `the log's decisions_lost records of it tell of ${told}, so ${untold} are untold`;
  const macWords = read.mac === "verified"
    ? ""
    : read.mac === "failed"
    ? "; its MAC does not verify with this profile's audit key: this profile's thoth did " +
      "not write it (another profile's thoth, or someone else, did)"
    : read.mac === "none"
    ? "; it carries no MAC"
    : `; ${UNCHECKED_WORDS}`;
  const refused = read.mac === "failed" || read.mac === "none" ||
      `${tally.session}.tally` !== name
    ? "; the next thoth session sets it aside (lost/refused/, a spool_refused record) and " +
      "takes nothing it counts into the log"
    : "";
  const why = running
    ? "the session is still running (it holds its tally): it tells the log at its end, or, " +
      "if it is killed first, the next session takes its tally in"
    : "the session was killed, or its log never took its last records, before it could say so";
  return {
    kind: "decisions_untold",
    severity: "warning",
    source: `lost/${name}`,
    message: `session ${text(tally.session)} lost ${tally.count} decision or approval ` +
      `record(s)${types.length === 0 ? "" : ` (${types.join(", ")})`}${when}: its audit spool ` +
      `could not take them${tally.reason === "" ? "" : ` (${text(tally.reason)})`}, and ` +
      `${toldWords}: ${why}; their calls were refused (a session in observe mode forwards ` +
      `such calls without a record); counted in its lost tally lost/${name}${ids}${macWords}` +
      refused,
  };
}

/**
 * What a tally whose MAC cannot be checked means, and what to do: said by
 * verify and by doctor (see `unchecked_lost_tallies.ts`).
 */
export const UNCHECKED_WORDS = "its MAC was not checked: the device's audit key " +
  "(keys/audit-hmac.key in the profile) cannot be read, so no session takes the tally in or " +
  "removes it until one that can read the key runs; restore the key from a backup of this " +
  "profile (the next session then takes the tally in, or refuses it), or, if the key is lost " +
  "for good, look at the tally, then remove it";

/**
 * The `lost_tally_unchecked` fact for the tally in the file `name`, whose
 * losses the log already tells of but whose MAC cannot be checked: it stays
 * until a session that can read the key removes it. Pure.
 */
export function uncheckedFinding(name: string, read: LostTallyRead): Finding {
  return {
    kind: "lost_tally_unchecked",
    severity: "info",
    source: `lost/${name}`,
    message:
      `the lost tally lost/${name} of session ${
        displayText(read.tally.session, SHOWN_MAX)
      } counts ${read.tally.count} loss(es) the log's decisions_lost records already tell of; ` +
      UNCHECKED_WORDS,
  };
}

/**
 * The warning for the tally in the file `name` that verify could not read
 * (`error`): what it counts is unknown. Pure.
 */
function unreadFinding(name: string, error: unknown): Finding {
  return {
    kind: "decisions_untold",
    severity: "warning",
    source: `lost/${name}`,
    message: `the lost tally lost/${name} could not be read (${errorWords(error)}): it may ` +
      "count decisions or approvals a killed session lost that no record in the log tells " +
      "of, and verify cannot tell; give your user back read access to it (chmod 600 on " +
      "it), then verify again",
  };
}

/**
 * Whether a session holds the tally at `path` (its lock): a shared lock is
 * tried and, when taken, let go at once. False when it cannot be opened.
 */
export function held(path: string): boolean {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch {
    return false;
  }
  try {
    return !file.tryLockSync(false);
  } catch {
    return false;
  } finally {
    file.close();
  }
}

/** The tallies' MAC key, from the device's audit key file; undefined when it cannot be read. */
export async function tallyMac(path: string): Promise<LostTallyMac | undefined> {
  try {
    const raw = fromBase64(
      new TextDecoder().decode(await readRegularFile(path, { limit: 4096 })).trim(),
    );
    return raw === undefined || raw.length !== 32 ? undefined : new LostTallyMac(raw);
  } catch {
    return undefined;
  }
}
