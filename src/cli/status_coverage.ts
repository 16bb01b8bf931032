/**
 * What `thoth status` says besides its tables about how far its judgement
 * reaches: where the client may read servers that status did not look
 * (the "Not looked in" line, and `notLookedIn` in `--json`), which profile
 * the servers were judged by (`judged_profile.ts`), and, with `--check`, the
 * failures these bring: a file of a known place that `wrap-config` does not
 * change (see `findConfigPlaces`: `unjudged`) and that holds a stdio server
 * running without thoth, or that can be read but not understood; and a
 * profile (or a file in it) that was not read, so that what `thoth run`
 * would refuse is not known. A file that cannot be read (no permission) is
 * named, not failed on: the client, run as the same user, cannot read it
 * either.
 *
 * @example
 * ```ts
 * const findings = await readUnjudged(found.unjudged, statusOptions);
 * reportCoverage(io, { findings, profile: judged.profile, check: true });
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import { shownLines } from "./apply_config_plan.ts";
import type { UnjudgedPlace } from "../config/find_config_places.ts";
import { planStatus, type StatusOptions } from "../config/plan_status.ts";
import { readConfigFile } from "../config/read_config_file.ts";
import { isAppError } from "../errors.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { shellWord } from "./config_command_line.ts";
import type { JudgedProfileFacts } from "./judged_profile.ts";

/** What `status --check` found at one unjudged place. */
export interface UnjudgedFinding extends UnjudgedPlace {
  /** `none`: nothing there; `unreadable`; `invalid` (read, not understood); `found`. */
  state: "none" | "unreadable" | "invalid" | "found";
  /** The stdio servers in it that do not run through thoth (or name thoth in a shape not understood). */
  ungoverned: string[];
  /** Why it cannot be read or understood, or null. */
  problem: string | null;
}

/** Reads and judges each place of `places` (`status --check` only). */
export async function readUnjudged(
  places: readonly UnjudgedPlace[],
  options: StatusOptions,
): Promise<UnjudgedFinding[]> {
  const findings: UnjudgedFinding[] = [];
  for (const place of places) {
    let text: string;
    try {
      text = (await readConfigFile(place.path)).text;
    } catch (error) {
      const none = isAppError(error, "config.not_found");
      findings.push({
        ...place,
        state: none ? "none" : "unreadable",
        ungoverned: [],
        problem: none ? null : messageOf(error),
      });
      continue;
    }
    try {
      // Whatever client it is for: every place servers are kept in is searched.
      const { client: _client, ...rest } = options;
      const report = planStatus(text, { ...rest, label: place.path });
      const ungoverned = report.servers
        .filter((row) => row.state === "ungoverned" || row.state === "not_understood")
        .map((row) => shownUnlessKey(row.name));
      findings.push({ ...place, state: "found", ungoverned, problem: null });
    } catch (error) {
      findings.push({ ...place, state: "invalid", ungoverned: [], problem: messageOf(error) });
    }
  }
  return findings;
}

/**
 * The words for the "Not looked in" line: `notChecked` as given, then each
 * unjudged place, with what `--check` does about it.
 */
export function notLookedInWords(
  notChecked: readonly string[],
  unjudged: readonly UnjudgedPlace[],
  wrapCommand: string,
): string[] {
  return [
    ...notChecked,
    ...unjudged.map((place) =>
      `${place.what}, "${place.path}", which "${wrapCommand}" does not change (--check reads it ` +
      "and fails on a stdio server there that runs without thoth)"
    ),
  ];
}

/** Says what `findings` and `profile` bring (errors with `check`, else warnings), setting the exit code. */
export function reportCoverage(
  io: CliIo,
  facts: {
    findings: readonly UnjudgedFinding[];
    profile: JudgedProfileFacts;
    check: boolean;
    /** The `status` command line, for the hint to see the details. */
    status: string;
  },
): void {
  const level = facts.check ? "error" : "warning";
  let failed = false;
  for (const finding of facts.findings) {
    if (finding.state === "found" && finding.ungoverned.length > 0) {
      say(
        io,
        `thoth: ${level}: ${finding.ungoverned.length} stdio server(s) in "${finding.path}" ` +
          `(${finding.what}) run without thoth: ${finding.ungoverned.join(", ")}\n` +
          `thoth: hint: run "thoth wrap-config ${shellWord(finding.path)}" to govern them, then ` +
          `"thoth status --config ${shellWord(finding.path)}" to check that file\n`,
      );
      failed = true;
    } else if (finding.state === "invalid") {
      say(
        io,
        `thoth: ${level}: cannot tell which servers "${finding.path}" (${finding.what}) runs: ` +
          `${finding.problem}\n` +
          `thoth: hint: fix the file by hand, then run "thoth status --config ${
            shellWord(finding.path)
          }"\n`,
      );
      failed = true;
    } else if (finding.state === "unreadable") {
      say(
        io,
        `thoth: note: "${finding.path}" (${finding.what}) cannot be read, so it was not ` +
          `checked: ${finding.problem}\n`,
      );
    }
  }
  const { profile } = facts;
  if (profile.notRead.length > 0) {
    say(
      io,
      `thoth: ${level}: what thoth run would refuse to start with is not known for these ` +
        `servers: ${profile.notRead.join("; ")}\n` +
        `thoth: hint: ${
          profile.ownerUid === null
            ? "fix the owner and mode as the line says"
            : `run "${facts.status}" as that user instead (sudo -u '#${profile.ownerUid}' …), ` +
              "or fix the owner and mode as the line says"
        }\n`,
    );
    failed = true;
  }
  if (failed && facts.check) io.exitCode = 1;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Writes `text` to stderr with what a terminal would act on in each line shown as `?`. */
function say(io: CliIo, text: string): void {
  io.err(shownLines(text));
}
