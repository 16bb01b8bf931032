/**
 * The steps `wrap-config` and `unwrap-config` share: read and plan every
 * file the command works on (`status` reads them the same way), and at the
 * end show the diff on `--dry-run`, or write the planned text safely and say
 * what was written. What they print holds names, commands, comments and
 * paths from a config: every line passes `displayText` (the diff's keeps its
 * tabs), so no control character, escape sequence or bidirectional override
 * reaches the terminal as it is.
 *
 * @example
 * ```ts
 * await applyConfigPlan(io, file, output, plan.text, deps, {
 *   dryRun: false,
 *   report: "config.json:\n  wrapped  fs  now runs through thoth\n",
 *   unchanged: "is up to date",
 *   backupOf: "the original",
 *   next: "Restart the client to apply.",
 * });
 * ```
 */
import type { ConfigFile } from "../config/read_config_file.ts";
import type { ConfigShellDeps } from "../config/config_shell_deps.ts";
import {
  commitConfigPlan,
  currentOutput,
  outputExistsError,
  replacesOtherOutput,
} from "../config/commit_config_plan.ts";
import type { WriteResult } from "../config/write_config.ts";
import { unifiedDiff } from "../config/unified_diff.ts";
import type { CliIo } from "./cli_io.ts";
import { shellWord } from "./config_command_line.ts";
import { shownLine, shownLines } from "./shown_line.ts";
import { maskSecrets } from "./mask_secrets.ts";

// `status` imports the quoting from here.
export { shellWord };
// The other shared steps live in the modules named for them; code that imports them from here
// keeps working.
export { shownLine, shownLines } from "./shown_line.ts";
export { maskSecrets } from "./mask_secrets.ts";
export { checkConfigWrites, type PlannedWrite } from "./check_config_writes.ts";
export { partialWriteError, writeEach } from "./write_each.ts";
export {
  type PlaceProblem,
  planConfigPlaces,
  type PlannedFile,
  type PlanPlacesOptions,
  withReadRemedy,
} from "./plan_config_places.ts";
export { oneOutputError } from "./one_output_error.ts";
export { type LeftServer, reportLeftServers } from "./report_left_servers.ts";
export { sameFileAs } from "./same_file_as.ts";
export { writtenElsewhere } from "./written_elsewhere.ts";
export { hintConfigForm } from "./hint_config_form.ts";

/** The words that differ between the commands. */
export interface ApplyWording {
  dryRun: boolean | undefined;
  /**
   * The plan's report for stdout. It is printed once the file is written (or
   * before the diff of a dry run), so a reader that stops reading early (`|
   * head`) cannot keep the write from happening.
   */
  report: string;
  /** After "No changes: OUTPUT ", e.g. "is up to date". */
  unchanged: string;
  /**
   * The whole line said instead of "No changes: OUTPUT <unchanged>." when
   * nothing needed writing but the file is not as the command would have it
   * (servers it left as they are, named on stderr): "up to date" would be
   * untrue beside the error that follows.
   */
  unchangedNote?: string | undefined;
  /** After "Backup of ", e.g. "the original". */
  backupOf: string;
  /** The closing line, e.g. "Restart the client to apply." */
  next: string;
  /** `--replace-read-only`: replace a config whose mode gives no one write permission. */
  replaceReadOnly?: boolean | undefined;
  /** The original holds a secret (an `--api-key` in args): its backup is made 0600. */
  privateBackup?: boolean | undefined;
  /**
   * The secrets the plan drops from the input: a backup must hold them (see
   * `writeConfig`), and what is printed (a dry run's diff) shows each by
   * fingerprint only (see `maskSecrets`).
   */
  secrets?: readonly string[] | undefined;
  /** `--replace-output`: replace an `--output` file that holds something else, backing it up. */
  replaceOutput?: boolean | undefined;
}

/**
 * Prints the diff (dry run) or writes `text` to `output` and reports it.
 * Returns what was written: null when nothing needed writing, undefined on a
 * dry run. The diff is against what `output` holds when it exists (the
 * input when it is the input), else against the input. An `--output` file
 * that holds something else is refused without `replaceOutput`
 * (`usage.output_exists`), after the diff on a dry run, so that a dry run
 * fails as the write would.
 */
export async function applyConfigPlan(
  io: CliIo,
  file: ConfigFile,
  output: string,
  text: string,
  deps: ConfigShellDeps,
  wording: ApplyWording,
): Promise<WriteResult | null | undefined> {
  const secrets = wording.secrets ?? [];
  if (wording.dryRun) {
    const current = await currentOutput(file, output);
    const before = current ?? file;
    // A dry run's diff lands in MDM and CI logs: a key the plan takes out is shown by fingerprint.
    // Each text is masked once, before the diff: its headers and context are not rescanned.
    const diff = unifiedDiff(maskSecrets(before.text, secrets), maskSecrets(text, secrets), {
      from: before.path,
      to: output,
    });
    io.out(shownLines(maskSecrets(wording.report, secrets)));
    io.out(diff === "" ? "No changes.\n" : shownLines(diff, { tabs: true }));
    io.out("Dry run: nothing was written.\n");
    if (replacesOtherOutput(file, current, text) && !wording.replaceOutput) {
      throw outputExistsError(output);
    }
    return undefined;
  }
  const outcome = await commitConfigPlan(file, output, text, {
    ...(deps.beforeCommit === undefined ? {} : { beforeCommit: deps.beforeCommit }),
    ...(wording.replaceReadOnly ? { replaceReadOnly: true } : {}),
    ...(wording.replaceOutput ? { replaceOutput: true } : {}),
    ...(wording.privateBackup ? { privateBackup: true } : {}),
    ...(wording.secrets === undefined ? {} : { secrets: wording.secrets }),
  });
  io.out(shownLines(maskSecrets(wording.report, secrets)));
  const say = (line: string) => io.out(`${shownLine(line)}\n`);
  if (outcome === null) {
    say(wording.unchangedNote ?? `No changes: ${output} ${wording.unchanged}.`);
    return null;
  }
  say(`Wrote ${outcome.written}.`);
  if (outcome.lockSkipped !== undefined) {
    io.err(
      `thoth: warning: ${outcome.lockSkipped}: ${outcome.written} was written without the lock ` +
        "that keeps two thoth processes from writing it at once\n",
    );
  }
  if (outcome.backupCreated !== undefined) {
    const of = output === file.path ? wording.backupOf : `what ${output} held before`;
    say(`Backup of ${of}: ${outcome.backupCreated}`);
    if (outcome.backupReplaced !== undefined) {
      // One an older run left empty or cut short held no original: it holds this one now.
      io.err(
        `thoth: note: the backup ${outcome.backupCreated} kept from an earlier run held no ` +
          `original (${outcome.backupReplaced}); it now holds ${of}\n`,
      );
    }
  }
  if (outcome.backupKept !== undefined) {
    // The backup from an earlier run is never replaced: it holds what was there before it.
    say(`Backup kept: ${outcome.backupKept} (from an earlier run; not replaced)`);
  }
  if (outcome.secretBackupCreated !== undefined) {
    say(`New backup, holding the API key the rewrite takes out: ${outcome.secretBackupCreated}`);
  }
  say(wording.next);
  return outcome;
}
