/**
 * The `audit` section of the `thoth health --json` report: the log's status,
 * its spool, lost tallies and size, as one zod schema. Part of
 * `HealthReportSchema` (`health_report_schema.ts`).
 *
 * @example
 * ```ts
 * const audit = HealthAuditSchema.parse(report.audit);
 * audit.status; // "ok"
 * ```
 */
import { z } from "zod";

const isoTime = z.iso.datetime({ offset: true });
const nullableString = z.string().nullable();

/** The schema of the health report's audit section. */
export const HealthAuditSchema = z.object({
  status: z.enum(["ok", "degraded", "missing", "unknown"]).describe(
    '"ok": the log\'s end matches its state file, and the writer could write it and use its ' +
      'keys; "degraded": the log is damaged, changed or lost records, or cannot be checked; ' +
      "or a file or folder of THOTH_HOME/audit is not one the writer can write, or the disk " +
      "holding it has no free space (a small probe file written there, synced and removed, " +
      "failed; every governed tool call is then refused); or a private key " +
      "(keys/audit-signing.key, keys/audit-hmac.key) is missing beside a log that holds records, or the signing key " +
      "is not one the log trusts (message says which, hint what to do); " +
      '"missing": no log yet; "unknown": not checked',
  ),
  last_sequence: z.number().int().min(0).nullable(),
  last_checkpoint_at: isoTime.nullable(),
  verified: z.boolean().nullable(),
  message: nullableString.describe("What the audit check found, in words; null when unknown"),
  hint: nullableString.describe("What to run or fix when the status is not ok"),
  spool_waiting: z.object({
    files: z.number().int().min(1).describe("How many spool files wait"),
    due: z.number().int().min(0).describe(
      "How many are older than the orphan age (60 s): left by sessions that ended (or were " +
        "killed) before they wrote them into the log; the next thoth session to start, or a " +
        "running one within a minute, takes them in. thoth doctor warns of these",
    ),
    oldest_age_sec: z.number().int().min(0).describe("The age of the oldest, in seconds"),
  }).nullable().describe(
    "Records that gate a call (decisions, approvals) written to a session's spool " +
      "(THOTH_HOME/audit/spool) but not yet to the chained log, in files older than a few " +
      "seconds; null when none wait, or when the spool was not looked at (see message). They " +
      "do not change status: the log itself is as status says",
  ),
  spool_refused: z.object({
    files: z.number().int().min(1).describe("How many refused spool files are kept"),
    oldest: z.string().describe("The name of the oldest (by mtime), in THOTH_HOME/audit/spool"),
    oldest_age_sec: z.number().int().min(0).describe("The age of the oldest, in seconds"),
  }).nullable().optional().describe(
    "Spool files a session refused and set aside (THOTH_HOME/audit/spool/*.refused*): a " +
      "line thoth could not vouch for (no MAC, a MAC that fails, a line missing or moved), " +
      "so none of their records was taken into the log; a spool_refused record in the log " +
      "names each (thoth audit verify warns of it). Kept for a person to look at: they may " +
      "hold records of a killed session of an earlier release, or forged lines. thoth " +
      "doctor warns of them until they are moved out of the spool folder; null when there " +
      "are none, or when the spool was not looked at; absent from an earlier release's " +
      "report. They do not change status",
  ),
  lost_tallies: z.object({
    folder_problem: nullableString.describe(
      "Why THOTH_HOME/audit/lost cannot hold a session's lost tally (something other than a " +
        "folder stands there, a symbolic link among them, which is never followed; or the " +
        "user thoth runs as cannot list, enter or write it, tried, not told from the uid): a " +
        "session then keeps no tally, " +
        "so a decision or approval it loses (when even its audit spool cannot take it) " +
        "leaves no trace once it is killed; thoth run says so on stderr when it starts and " +
        "thoth doctor warns; null when it can (or it does not exist yet: a session makes it)",
    ),
    folder_fix: nullableString.describe(
      "The command that fixes folder_problem (look at what stands there first); null when " +
        "folder_problem is",
    ),
    refused: z.object({
      files: z.number().int().min(1).describe("How many refused lost tallies are kept"),
      oldest: z.string().describe(
        "The name of the oldest (by mtime), in THOTH_HOME/audit/lost/refused",
      ),
      oldest_age_sec: z.number().int().min(0).describe("The age of the oldest, in seconds"),
    }).nullable().describe(
      "Lost tallies a session refused and set aside (THOTH_HOME/audit/lost/refused): a MAC " +
        "that fails or is missing, another session's name, or no tally at all, so nothing " +
        "they count was taken into the log; a spool_refused record in the log names each " +
        "(thoth audit verify warns of it). thoth doctor warns of them until they are moved " +
        "out of that folder; null when there are none",
    ),
    unchecked: z.number().int().min(0).describe(
      "How many lost tallies of sessions that ended count losses under a MAC that cannot be " +
        "checked here (THOTH_HOME/keys/audit-hmac.key cannot be read): no session takes them " +
        "in or removes them until one that can read the key runs; thoth doctor warns; 0 when " +
        "none (or the key can be read)",
    ),
    waiting: z.number().int().min(0).optional().describe(
      "How many lost tallies of sessions that ended count losses under a MAC that verifies " +
        "with this profile's audit key: they wait to be taken into the log (a decisions_lost " +
        "record each) by the next thoth session to start, as spool files wait, and thoth " +
        "audit verify warns of them (decisions_untold) until then; thoth doctor warns; 0 " +
        "when none; absent from an earlier release's report",
    ),
    unvouched: z.number().int().min(0).optional().describe(
      "How many lost tallies of sessions that ended the next thoth session will refuse and " +
        "set aside in THOTH_HOME/audit/lost/refused, taking nothing they count into the log: " +
        "a MAC that does not verify with this profile's audit key (forged, or signed with " +
        "another profile's key), no MAC, another session's name, or bytes that are no " +
        "tally; thoth audit verify warns of them; thoth doctor warns; 0 when none; absent " +
        "from an earlier release's report",
    ),
    refused_folder_problem: nullableString.optional().describe(
      "Why refused lost tallies cannot be set aside in THOTH_HOME/audit/lost/refused: " +
        "something other than a folder stands there (a symbolic link among them, which is " +
        "never followed), so each stays in THOTH_HOME/audit/lost, refused again by every " +
        "session; thoth audit verify and thoth doctor warn; null when they can (or it does " +
        "not exist yet: a session makes it); absent from an earlier release's report",
    ),
    refused_folder_fix: nullableString.optional().describe(
      "The command that fixes refused_folder_problem (look at what stands there first); " +
        "null when refused_folder_problem is; absent from an earlier release's report",
    ),
    unreadable: z.number().int().min(0).optional().describe(
      "How many lost tallies the user thoth runs as cannot read: no session takes them in " +
        "or sets them aside, so what they count is unknown; thoth audit verify names each " +
        "and thoth doctor warns; 0 when none; absent from an earlier release's report",
    ),
    waiting_records: z.number().int().min(0).optional().describe(
      "How many decision or approval records the waiting lost tallies count together; 0 " +
        "when none wait; absent from an earlier release's report",
    ),
    waiting_reasons: z.array(z.string()).max(3).optional().describe(
      "Why the waiting lost tallies' records were lost: their distinct reasons, as the " +
        "tallies hold them (control characters replaced), those that count the most records " +
        "first, at most 3; empty when none wait; absent from an earlier release's report",
    ),
    disk_full: z.boolean().optional().describe(
      "Whether a waiting lost tally's reason says the disk was full (no space left on the " +
        "device, or a disk quota exceeded): free space on the disk holding THOTH_HOME, which " +
        "thoth doctor's hint names; absent from an earlier release's report",
    ),
  }).nullable().optional().describe(
    "The lost tallies (THOTH_HOME/audit/lost/<session>.tally), in which a session counts the " +
      "decisions and approvals it loses when even its audit spool cannot take them; null when " +
      "not looked at (the audit folder or its spool folder is a link); absent from an earlier " +
      "release's report. They do not change status",
  ),
  size_bytes: z.number().int().min(0).nullable().describe(
    "The sum of the sizes of the log's segment files (THOTH_HOME/audit/seg-*.jsonl), in " +
      "bytes, from a stat of each (spool and checkpoints not counted); 0 when there is no log " +
      "yet; null when they could not be looked at. The log grows by about 1.1 KB per governed " +
      "tools/call and thoth removes no segment; thoth doctor warns over 2 GiB",
  ),
  segments: z.number().int().min(0).nullable().describe(
    "How many segment files the log has (a new one each UTC day and every 64 MiB); null " +
      "when size_bytes is",
  ),
  oldest_segment_day: z.iso.date().nullable().describe(
    "The UTC day (YYYY-MM-DD) the oldest segment was opened, from its file name; null when " +
      "there is none, or when size_bytes is null",
  ),
});
