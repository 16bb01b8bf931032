/**
 * Whether the audit writer could write the log of a profile, judged from
 * what `lstat` says of its folder and files: none of them is written,
 * opened or followed (a FIFO in place of a file is named, never opened);
 * when the modes allow the writer everything, a small probe file is
 * written in the audit folder, synced and removed at once, so that a full
 * disk is told too (see `audit_space_probe.ts`). While it cannot, every
 * governed tool call is refused (`audit.unwritable`; observe mode forwards
 * them, unrecorded). The writer, as the user the profile
 * belongs to, appends to the newest segment (a regular file it owns, `u+rw`),
 * opens `.lock` and `.state.json` to read and write (regular files it owns,
 * `u+rw`, or absent), makes files in `spool/` and `checkpoints/` (folders it
 * owns, `u+rwx`, or absent) and in the audit folder itself (one it owns,
 * `u+rwx`); a fix by `chmod` sets the mode thoth makes them with (0600,
 * 0700). Modes that let others in are the profile check's to judge. Root writes whatever the modes say: for a profile root owns
 * only the kinds are judged; run as root on a profile another user owns, the
 * files are judged for that user, as the profile check does. A symbolic
 * link is not followed, and left to the checks that name links; so is
 * anything but a regular file in place of the state file or a segment,
 * which the log check names with its remedy. Each fault comes
 * with the command that fixes it, paths quoted for the shell.
 *
 * @example
 * ```ts
 * const problem = await auditWriteProblem("/home/ana/.thoth");
 * problem?.hint; // "chmod 600 '/home/ana/.thoth/audit/seg-000000000000-2026-03-01.jsonl'"
 * ```
 */
import { auditPaths, SEGMENT_PATTERN } from "../audit/log_paths.ts";
import { DecisionSpool } from "../audit/decision_spool.ts";
import { modeText } from "../platform/file_mode.ts";
import { shellQuote } from "./shell_quote.ts";
import {
  probeAuditSpace,
  type ProbeWrite,
  spaceProblem,
  writeSynced,
} from "./audit_space_probe.ts";
import type { AuditHealth } from "./doctor_plugins.ts";
import type { AuditHealthWithAccess } from "./check_audit.ts";

/** Why the log cannot be written, and the commands that fix it. */
export interface AuditWriteProblem {
  readonly message: string;
  readonly hint: string;
}

/** What one path must be for the writer: a file its owner may read and write (`u+rw`), a folder its owner may list, enter and write (`u+rwx`). */
interface Want {
  readonly kind: "file" | "folder";
  /**
   * Whether anything but a regular file or folder there is judged: the log
   * check reads the state file and the segment it names, and names one that
   * is not a regular file itself, with its remedy.
   */
  readonly judgeKind: boolean;
}

/** Who writes, and how a fix is run. */
interface Writer {
  /** The uid whose rights count; null when modes are not judged (Windows, root's own profile). */
  readonly uid: number | null;
  /** Words for that uid in a message. */
  readonly whom: string;
  /** "sudo " when the person running doctor is not root. */
  readonly sudo: string;
}

/** One fault and its fix. */
interface Fault {
  readonly problem: string;
  readonly fix: string;
}

const FILE: Want = { kind: "file", judgeKind: true };
const FOLDER: Want = { kind: "folder", judgeKind: true };
/** The state file and the newest segment: their kind is the log check's to name. */
const READ_FILE: Want = { kind: "file", judgeKind: false };

/**
 * The faults that keep the audit writer of `thothHome` from writing, or null
 * when there are none (or no audit folder yet: the writer makes it). `self`
 * is the uid doctor runs as (null on Windows). When the modes allow the
 * writer everything, a probe file tells a full disk (see
 * `audit_space_probe.ts`; `write` is its write).
 */
export async function auditWriteProblem(
  thothHome: string,
  self: number | null = Deno.build.os === "windows" ? null : Deno.uid(),
  write: ProbeWrite = writeSynced,
): Promise<AuditWriteProblem | null> {
  const paths = auditPaths(thothHome);
  const writer = await writerOf(thothHome, self);
  const dir = await look(paths.dir);
  // No audit folder: the writer makes it (the profile check judges the profile). A link: not followed.
  if (dir === null || dir.isSymlink) return null;
  const faults = judge(paths.dir, dir, FOLDER, { writer, recursive: true });
  // A chown -R of the audit folder covers what is in it.
  const owned = { writer, recursive: true, ownerCovered: faults.some(isChown) };
  if (dir.isDirectory) {
    const segment = await newestSegment(paths.dir);
    if (segment !== null) {
      const path = `${paths.dir}/${segment}`;
      faults.push(...judge(path, await look(path), READ_FILE, owned));
    }
    faults.push(...judge(paths.lock, await look(paths.lock), FILE, owned));
    faults.push(...judge(paths.state, await look(paths.state), READ_FILE, owned));
    for (const path of [DecisionSpool.dir(thothHome), paths.checkpoints]) {
      faults.push(...judge(path, await look(path), FOLDER, owned));
    }
  }
  if (faults.length === 0) {
    // The modes allow it: whether the disk has room is tried (a folder, never a link).
    if (!dir.isDirectory) return null;
    const failed = await probeAuditSpace(paths.dir, write);
    return failed === undefined ? null : spaceProblem(thothHome, failed);
  }
  return {
    message: `the audit log cannot be written: ${faults.map((f) => f.problem).join("; ")}: ` +
      "every governed tool call is refused (audit.unwritable; observe mode forwards them, " +
      "unrecorded) and its records are lost",
    hint: faults.map((f) => f.fix).join(" && "),
  };
}

/**
 * What is wrong with `info` (null: absent, which is fine) at `path` for the
 * writer. Pure.
 */
function judge(
  path: string,
  info: Deno.FileInfo | null,
  want: Want,
  options: { writer: Writer; recursive: boolean; ownerCovered?: boolean },
): Fault[] {
  if (info === null) return [];
  const q = shellQuote(path);
  if (info.isSymlink) return [];
  const isKind = want.kind === "file" ? info.isFile : info.isDirectory;
  if (!isKind && !want.judgeKind) return [];
  if (!isKind) {
    return [{
      problem: `"${path}" is ${kindOf(info)}, not ${
        want.kind === "file" ? "a regular file" : "a folder"
      }`,
      fix: `mv ${q} ${shellQuote(`${path}.moved-aside`)}`,
    }];
  }
  const { writer } = options;
  if (writer.uid === null) return [];
  const faults: Fault[] = [];
  if (info.uid !== null && info.uid !== writer.uid && options.ownerCovered !== true) {
    faults.push({
      problem: `"${path}" is owned by uid ${info.uid}, not ${writer.whom}`,
      fix: `${writer.sudo}chown ${want.kind === "folder" && options.recursive ? "-R " : ""}` +
        `${writer.uid} ${q}`,
    });
  }
  const mode = (info.mode ?? 0) & 0o777;
  const need = want.kind === "file" ? 0o600 : 0o700;
  if ((mode & need) !== need) {
    faults.push({
      problem: `"${path}" is ${modeText(mode)}; it must be ${modeText(need)}: its owner ` +
        `cannot ${want.kind === "file" ? "read or write" : "list, enter or write"} it`,
      fix: `chmod ${need.toString(8)} ${q}`,
    });
  }
  return faults;
}

function isChown(fault: Fault): boolean {
  return fault.fix.includes("chown ");
}

function kindOf(info: Deno.FileInfo): string {
  if (info.isDirectory) return "a folder";
  if (info.isFile) return "a regular file";
  if (info.isSymlink) return "a symbolic link";
  if (info.isFifo) return "a FIFO";
  if (info.isSocket) return "a socket";
  return "a device";
}

/**
 * Whose rights count: doctor's own user; run as root on a profile another
 * user owns, that user; none for root's own profile (root writes anything).
 */
async function writerOf(thothHome: string, self: number | null): Promise<Writer> {
  if (self === null) return { uid: null, whom: "", sudo: "" };
  if (self !== 0) return { uid: self, whom: `you (uid ${self})`, sudo: "sudo " };
  const owner = (await look(thothHome))?.uid ?? null;
  if (owner === null || owner === 0) return { uid: null, whom: "", sudo: "" };
  return { uid: owner, whom: `the profile's owner (uid ${owner})`, sudo: "" };
}

/** `lstat` of `path`, null when nothing is there or it cannot be looked at. */
async function look(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch {
    return null;
  }
}

/** The newest segment's name, whatever it is (a FIFO too), or null when none or unlisted. */
async function newestSegment(dir: string): Promise<string | null> {
  let newest: string | null = null;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (SEGMENT_PATTERN.test(entry.name) && (newest === null || entry.name > newest)) {
        newest = entry.name;
      }
    }
  } catch {
    return null; // A folder it cannot list: judged above.
  }
  return newest;
}

/**
 * The audit health with `problem` folded in: degraded, the fault said first
 * (it refuses every call) and its fix as the hint, the log's own finding
 * after it; `writeProblem` carries the fault for the spool notice. Pure.
 *
 * @example
 * ```ts
 * withWriteAccess(health, await auditWriteProblem(thothHome)).status; // "degraded" when one was found
 * ```
 */
export function withWriteAccess(
  health: AuditHealth,
  problem: AuditWriteProblem | null,
): AuditHealthWithAccess {
  if (problem === null) return health;
  const logHint = health.status === "degraded" && health.hint !== undefined
    ? `; then ${health.hint}`
    : "";
  return {
    ...health,
    status: "degraded",
    verified: health.status === "degraded" ? health.verified : null,
    message: `${problem.message}; ${health.message}`,
    hint: `${problem.hint}${logHint}`,
    writeProblem: problem.message,
  };
}
