/**
 * The audit side of `thoth doctor` and `thoth health`: the log's state file
 * checked against the log's end, the chain of its newest records and its
 * MAC; the spool files sessions left or refused; the lost tallies; the size
 * of the log's segments; whether the writer could write the log, use its
 * private keys, and whether a session holds its lock. Reads a stat, the
 * log's last megabytes at most, the key and the checkpoint names, never the
 * whole chain (`thoth audit verify` does that).
 *
 * @example
 * ```ts
 * const health = await readAuditHealth(thothHome);
 * health.status; // "ok"
 * ```
 */
import type { AuditHealth } from "../doctor/doctor_plugins.ts";
import { type AuditPaths, auditPaths } from "../audit/log_paths.ts";
import { readLogEnd } from "../audit/check_log_end.ts";
import { checkRecentChain } from "../audit/recent_chain.ts";
import { listSegments } from "../audit/log_files.ts";
import { readListedKeys } from "../audit/listed_keys.ts";
import { AppError } from "../errors.ts";
import { parseLogState } from "../audit/log_state.ts";
import { readStateSettled } from "../audit/read_state_settled.ts";
import { FileOverLimitError } from "../platform/read_regular_file.ts";
import { pathExists } from "../platform/path_exists.ts";
import { checkedTime } from "../identity/checked_time.ts";
import { shellQuote } from "../doctor/shell_quote.ts";
import { DecisionSpool } from "../audit/decision_spool.ts";
import { doctorSpoolCount } from "../audit/doctor_spool_count.ts";
import { ORPHAN_AFTER_MS } from "../proxy/session_audit.ts";
import { auditLogSize } from "../audit/audit_log_size.ts";
import type { AuditHealthWithAccess } from "../doctor/check_audit.ts";
import { groupDigits } from "../size_text.ts";
import { refusedSpoolFiles } from "../audit/spool_refused_files.ts";
import { lostTallyHealth } from "../audit/lost_tally_health.ts";
import { auditWriteProblem, withWriteAccess } from "../doctor/audit_write_access.ts";
import { auditLockHeld } from "../doctor/audit_lock_held.ts";
import { privateKeysProblem } from "../audit/private_keys_problem.ts";
import { readStateMacKey } from "../audit/read_state_mac_key.ts";
import { checkStateMac } from "../audit/state_mac_check.ts";
import {
  chainWords,
  pastWords,
  STATE_MAC_FAILED,
  STATE_MAC_FAILED_HINT,
  stateMacWords,
} from "../doctor/audit_log_words.ts";

/**
 * The audit log's state from its state file, checked against the log's end
 * (the segment it names holds the record it counts last, and no signed
 * checkpoint covers more records than the log holds; the records past its
 * count are said) and the chain of its newest records (see
 * `recent_chain.ts`), its MAC under the device's audit key (one HMAC: a MAC
 * that does not verify is not searched for an earlier state's, as `thoth
 * audit verify` does, see `audit_log_words.ts`), and any loss a writer
 * found and kept in it: fast enough for `thoth health`, since it reads a
 * stat, the log's last megabytes at most, the key and the checkpoint names,
 * not the whole chain (`thoth audit verify` does that). With it, the spool
 * files that sessions which ended left behind (records that gate a call, not yet in the log), and the
 * size of the log's segment files (a stat of each, never their contents),
 * and whether the writer could write the log (a stat of its files; see
 * `audit_write_access.ts`) and use its private keys (`private_keys_problem.ts`),
 * and the spool files sessions refused and set aside (a listing, never read;
 * see `spool_refused_files.ts`).
 */
export async function readAuditHealth(thothHome: string): Promise<AuditHealthWithAccess> {
  const [log, logSize, access, lockHeld] = await Promise.all([
    readLogHealth(thothHome),
    auditLogSize(auditPaths(thothHome).dir),
    auditWriteProblem(thothHome),
    auditLockHeld(thothHome),
  ]);
  const now = Date.now();
  const spool = readSpoolHealth(thothHome, now);
  // Listed only where the spool was (no link followed, see readSpoolHealth).
  const looked = spool.spoolProblem === null;
  return {
    ...withWriteAccess(log, access),
    ...spool,
    spoolRefused: looked ? refusedSpoolFiles(thothHome, now) : null,
    // The lost tallies (see `lost_tally_health.ts`), where the spool was looked at.
    lostTallies: looked
      ? await lostTallyHealth(thothHome, now, Deno.build.os === "windows" ? null : Deno.uid())
      : null,
    logSize,
    lockHeld,
  };
}

/**
 * The spool files other sessions left (see `doctorSpoolCount`): counted only
 * when neither the audit folder nor its spool folder is a symbolic link
 * (doctor follows no link in the profile; the profile check names one).
 */
function readSpoolHealth(
  thothHome: string,
  nowMs: number,
): Pick<AuditHealth, "spool" | "spoolProblem"> {
  for (const dir of [auditPaths(thothHome).dir, DecisionSpool.dir(thothHome)]) {
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(dir);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return { spool: null, spoolProblem: null };
      return { spool: null, spoolProblem: `cannot look at "${dir}": ${firstLine(error)}` };
    }
    if (info.isSymlink) {
      return {
        spool: null,
        spoolProblem: `"${dir}" is a symbolic link, which thoth doctor does not follow`,
      };
    }
    // Not a folder: the log check says so.
    if (!info.isDirectory) return { spool: null, spoolProblem: null };
  }
  const waiting = doctorSpoolCount(thothHome, nowMs, ORPHAN_AFTER_MS);
  return {
    spool: waiting === null ? null : { ...waiting, orphanAfterMs: ORPHAN_AFTER_MS },
    spoolProblem: null,
  };
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
}

/** The log's health (see {@linkcode readAuditHealth}). */
async function readLogHealth(thothHome: string): Promise<AuditHealth> {
  try {
    return await readAuditState(thothHome);
  } catch (error) {
    // A folder or file of the log this user cannot read, or one that is not what it should be.
    const reason = error instanceof Error
      ? error.message.split("\n")[0] ?? error.name
      : String(error);
    const dir = auditPaths(thothHome).dir;
    return {
      status: "degraded",
      lastSequence: null,
      lastCheckpointAt: null,
      verified: null,
      message: `cannot check the audit log in "${dir}": ${reason}`,
      hint: error instanceof Deno.errors.PermissionDenied
        ? `give your user back access to the audit log (chmod -R u+rwX ${shellQuote(dir)}; ` +
          'use sudo chown if another user owns it), then run "thoth audit verify"'
        : 'run "thoth audit verify" to see what is wrong with the log',
    };
  }
}

async function readAuditState(thothHome: string): Promise<AuditHealth> {
  const paths = auditPaths(thothHome);
  const verify = 'run "thoth audit verify" to see what was lost or changed';
  const degraded = (message: string, hint = verify): AuditHealth => ({
    status: "degraded",
    lastSequence: null,
    lastCheckpointAt: null,
    verified: false,
    message,
    hint,
  });
  let text: string;
  try {
    text = await readStateSettled(paths.state);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      return {
        ...degraded(
          `cannot read the audit state "${paths.state}": ${
            error instanceof Error ? error.message : String(error)
          }`,
          // A FIFO or a device there would hang the read, a huge file fill memory:
          // either is refused, never read.
          error instanceof Deno.errors.InvalidData || error instanceof FileOverLimitError
            ? `remove it (rm ${shellQuote(paths.state)}): the next governed session ` +
              'rebuilds it from the log; then run "thoth audit verify"'
            : 'check the permissions of THOTH_HOME/audit, then run "thoth audit verify"',
        ),
        verified: null,
      };
    }
    text = "";
  }
  if (text.trim() === "") return await withoutState(paths, degraded);
  const state = parseLogState(text);
  if (state === undefined) {
    return {
      ...degraded(
        "the audit state file is damaged; the next write rebuilds it from the log",
        'run "thoth audit verify" to check the log itself',
      ),
      verified: null,
    };
  }
  const checkpointTime = state.checkpointAt > 0 ? checkedTime(state.checkpointAt, "ms") : null;
  if (checkpointTime !== null && checkpointTime.problem !== null) {
    return {
      ...degraded(
        `the audit state file "${paths.state}" is damaged: its checkpointAt ${state.checkpointAt} ${checkpointTime.problem}`,
        'run "thoth audit verify" to check the log itself, whose checkpoints carry their own times',
      ),
      verified: null,
    };
  }
  if (
    checkpointTime !== null && checkpointTime.date !== null &&
    checkpointTime.date.getTime() > Date.now() + CLOCK_SKEW_MS
  ) {
    return {
      ...degraded(
        `the audit state file "${paths.state}" dates the last checkpoint ${checkpointTime.date.toISOString()}: ` +
          "the last checkpoint is dated in the future: the clock was wrong or the state was edited",
        'check the system clock, then run "thoth audit verify" to check the log itself, ' +
          "whose checkpoints carry their own times",
      ),
      verified: null,
    };
  }
  const end = await readLogEnd(thothHome, state);
  if (end.problem !== undefined) {
    return degraded(`the audit log does not match its state file: ${end.problem}`);
  }
  // The newest records' chain (see `recent_chain.ts`): a bounded look, not a verify.
  const chain = await checkRecentChain(paths.dir, state);
  if (chain.problem !== undefined) {
    return degraded(`the audit log's newest records do not chain: ${chain.problem}`);
  }
  // Whoever edits the log can match the state's count, leaf hash and frontier, not its MAC.
  let mac = checkStateMac(text, await readStateMacKey(paths.hmacKey));
  if (mac.outcome === "failed") {
    // A key written anew (doctor's own remedy for a lost one) fails the MAC of
    // the state written under the old key until the next session rebuilds it.
    if (!(await newerThan(paths.hmacKey, paths.state))) {
      return degraded(STATE_MAC_FAILED, STATE_MAC_FAILED_HINT);
    }
    mac = { outcome: "not_checked", detail: KEY_NEWER_THAN_STATE };
  }
  const known = {
    lastSequence: state.size === 0 ? null : state.size - 1,
    lastCheckpointAt: checkpointTime?.date?.toISOString() ?? null,
  };
  const keys = state.size > 0 ? await signingKeysProblem(paths, state.size) : undefined;
  if (keys !== undefined) return { ...degraded(keys.message, keys.hint), ...known };
  const own = state.size > 0 ? await privateKeysProblem(thothHome, state.size) : undefined;
  if (own !== undefined) return { ...degraded(own.message, own.hint), ...known, verified: null };
  if (state.lost !== undefined) {
    const { seq, counted, held } = state.lost;
    return {
      ...degraded(
        `records were lost: a writer found ${held} records where its state counted ${counted}, and recorded it at seq ${seq}`,
      ),
      ...known,
    };
  }
  return {
    status: "ok",
    ...known,
    verified: null,
    message: [
      `${groupDigits(state.size)} record(s)`,
      `last checkpoint covers ${groupDigits(state.checkpointSize)}`,
      stateMacWords(mac, state.size),
      chainWords(chain),
      pastWords(end.past),
    ].filter((part) => part !== undefined).join("; "),
    hint: 'run "thoth audit verify" for a full check of every record, checkpoint and key',
  };
}

/** Why a state MAC that fails under a key newer than the state file is not checked. */
const KEY_NEWER_THAN_STATE = "the audit key is newer than the state file: a key written anew; " +
  "the next governed session rebuilds the state under it";

/** Whether the file at `path` was modified after the one at `than` (false when either cannot be read). */
async function newerThan(path: string, than: string): Promise<boolean> {
  try {
    const [a, b] = await Promise.all([Deno.stat(path), Deno.stat(than)]);
    return a.mtime !== null && b.mtime !== null && a.mtime.getTime() > b.mtime.getTime();
  } catch {
    return false;
  }
}

/** How far ahead of this clock a checkpoint's time may be before it counts as in the future. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Why `thoth audit verify` could not trust the checkpoints of a log that
 * holds `size` records: its signing keys list cannot be read (read as
 * verify reads it), or lists no key. Undefined when it lists keys.
 */
async function signingKeysProblem(
  paths: AuditPaths,
  size: number,
): Promise<{ message: string; hint: string } | undefined> {
  const file = paths.publicKeys;
  const restore = `restore ${shellQuote(paths.keysDir)} from a backup of this profile, ` +
    'then run "thoth audit verify"';
  let keys: readonly unknown[];
  try {
    keys = await readListedKeys(file);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      message: `the audit log holds ${size} record(s), but thoth ${error.message}: ` +
        '"thoth audit verify" cannot check its checkpoints',
      hint: error.hints[0] ?? restore,
    };
  }
  if (keys.length > 0) return undefined;
  const missing = !(await pathExists(file));
  return {
    message: `the audit log holds ${size} record(s), but its signing keys list "${file}" ${
      missing ? "is missing" : "lists no key"
    }: "thoth audit verify" cannot trust any of its checkpoints`,
    hint: restore,
  };
}

/**
 * No state file (or an empty one): no log yet, unless segments or the keys
 * a writer makes with the log show there was one.
 */
async function withoutState(
  paths: AuditPaths,
  degraded: (message: string) => AuditHealth,
): Promise<AuditHealth> {
  const segments = await listSegments(paths.dir);
  if (segments.length > 0) {
    return degraded(
      `the audit state file is missing or empty beside ${segments.length} segment(s): nothing shows how many records the log held`,
    );
  }
  if (await pathExists(paths.publicKeys) || await pathExists(paths.signingKey)) {
    return degraded(
      "the audit log is gone: no segment and no state file, but the signing key made with it is still in keys/",
    );
  }
  return {
    status: "missing",
    lastSequence: null,
    lastCheckpointAt: null,
    verified: null,
    message: "no audit log yet: it starts with the first governed session",
  };
}
