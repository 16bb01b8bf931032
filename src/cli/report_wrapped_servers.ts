/**
 * What `wrap-config` says on stderr about the servers of a file it wrote (or
 * would write with `--dry-run`): each server's warnings and the plan's
 * ({@linkcode reportPlanWarnings}), then the servers `thoth run` will refuse
 * to start ({@linkcode reportNotStarting}), which fail the command (exit 1).
 * Every line quotes the config as a terminal shows it written (see
 * `shownLine`).
 *
 * @example
 * ```ts
 * const refused = notStarting(plan.text, { label, thothCommand, run, elsewhere: false });
 * reportPlanWarnings(io, { plan, label, planned, refused, shown: new Set() });
 * reportNotStarting(io, refused, label, "written", { here, there, elsewhere: false });
 * ```
 */
import type { CliIo } from "./cli_io.ts";
import { type PlannedFile, shownLine } from "./apply_config_plan.ts";
import { intentMapNamesMissing, type WrapPlan } from "../config/plan_wrap.ts";
import type { NotStarting } from "../config/not_starting.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";

/**
 * The warnings of `plan` (the file `label`), each server's with its name,
 * then the plan's own: a refusal that {@linkcode reportNotStarting} says for
 * the same server (`refused`) is left to it, and a plan warning is said once
 * over the run (`shown` holds those said for the files before) and not at
 * all when the intent map names a server of another file of the run
 * (`planned`: VS Code's mcp.json and settings.json).
 */
export function reportPlanWarnings(
  io: CliIo,
  file: {
    plan: WrapPlan;
    label: string;
    planned: readonly PlannedFile<WrapPlan>[];
    refused: readonly NotStarting[];
    shown: Set<string>;
  },
): void {
  for (const server of file.plan.servers) {
    for (const warning of server.warnings) {
      // A refusal is said once, by the lines of reportNotStarting.
      if (refusedBelow(server, warning, file.refused)) continue;
      warn(io, `${serverLabel(server)}: ${warning}`);
    }
  }
  for (const warning of file.plan.warnings) {
    if (file.shown.has(warning) || inOtherFile(warning, file.label, file.planned)) continue;
    file.shown.add(warning);
    warn(io, warning);
  }
}

/**
 * Names the servers of `text` that `thoth run` will refuse to start (see
 * `notStarting`), each refusal on its line with the servers it applies to
 * (one broken policy refuses them all: it is said once), then one summary line
 * naming `label` (the file written, or that `--dry-run` would write) with how
 * many; what fails fails the command (exit 1), as a server left without
 * thoth does, so an MDM script sees it. With `--thoth-path-elsewhere`, a
 * refusal of this machine's profile is a warning that says so. A thoth path
 * that is not on this machine is not counted: `--thoth-path-elsewhere`
 * writes one on purpose. The hints name `status` as `check` says: for the
 * file written here, or (`there`) for the client's config on a machine the
 * config is for.
 */
export function reportNotStarting(
  io: CliIo,
  servers: readonly NotStarting[],
  label: string,
  /** What was done with `label`: a dry run, a write, or no write (nothing needed changing). */
  done: "dry" | "written" | "unchanged",
  check: { here: string; there: string; elsewhere: boolean },
): void {
  // Only a write is said to have written them.
  const written = done === "dry"
    ? "that would be written to"
    : done === "written"
    ? "written to"
    : "in";
  const profiled = servers.filter((server) => server.profile.length > 0);
  for (const [refusal, names] of byRefusal(profiled, (server) => server.profile)) {
    say(
      io,
      `thoth: warning: ${names.join(", ")} would not start with this machine's profile: ${refusal}`,
    );
  }
  if (profiled.length > 0) {
    say(
      io,
      `thoth: warning: ${profiled.length} server(s) ${written} ${label} would not start ` +
        "with this machine's profile (as each line above says): " +
        `${profiled.map((server) => server.name).join(", ")}; with --thoth-path-elsewhere ` +
        "this is no error: they were judged against this machine's profile (its policy and " +
        "intent map, and any --policy file as it is here), not that of the machines the " +
        "config is for",
    );
    say(
      io,
      `thoth: hint: check on a machine the config is for with "${check.there} --check" once ` +
        "it is in place",
    );
  }
  const refused = servers.filter((server) => server.errors.length > 0);
  if (refused.length === 0) return;
  for (const [refusal, names] of byRefusal(refused, (server) => server.errors)) {
    say(io, `thoth: error: ${names.join(", ")} will not start: ${refusal}`);
  }
  say(
    io,
    `thoth: error: ${refused.length} server(s) ${written} ${label} will not start, ` +
      "because thoth run refuses them (as each line above says): " +
      `${refused.map((server) => server.name).join(", ")}`,
  );
  say(
    io,
    `thoth: hint: fix each as its line says, then check with "${
      check.elsewhere ? check.there : check.here
    } --check"${check.elsewhere ? " on a machine the config is for" : ""}; the other ` +
      "servers were handled",
  );
  io.exitCode = 1;
}

/**
 * Each refusal of `servers` (as `of` picks them) with the names of the
 * servers it applies to, in the order first met: a refusal several servers
 * share (a broken policy, an intent the policy lacks) is said once, as
 * doctor's `client_configs` says it. `--json` keeps each server's own.
 */
function byRefusal(
  servers: readonly NotStarting[],
  of: (server: NotStarting) => readonly string[],
): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const server of servers) {
    for (const refusal of of(server)) {
      const those = names.get(refusal) ?? [];
      if (!those.includes(server.name)) names.set(refusal, [...those, server.name]);
    }
  }
  return names;
}

/** A line on stderr as a terminal shows it written: it quotes the config (see `shownLine`). */
export function say(io: CliIo, line: string): void {
  io.err(`${shownLine(line)}\n`);
}

/** A warning line on stderr (see {@linkcode say}). */
export function warn(io: CliIo, text: string): void {
  say(io, `thoth: warning: ${text}`);
}

/** How planWrap words a server's warning that thoth run will refuse to start it. */
const REFUSAL_WARNING = "thoth run will refuse to start it: ";

/**
 * Whether `warning` of `server` is a refusal that {@linkcode reportNotStarting}
 * reports for the same server (`refused`, as `notStarting` found
 * them): then the warning would only say it twice. Warnings that are no
 * refusal there are kept.
 */
function refusedBelow(
  server: { name: string; project?: string },
  warning: string,
  refused: readonly NotStarting[],
): boolean {
  if (!warning.startsWith(REFUSAL_WARNING)) return false;
  const name = `"${server.name}"${
    server.project === undefined ? "" : ` (project ${server.project})`
  }`;
  const reason = warning.slice(REFUSAL_WARNING.length);
  return refused.some((found) =>
    found.name === name && (found.errors.includes(reason) || found.profile.includes(reason))
  );
}

/**
 * Whether `warning` says the intent map names a server not in `label` that
 * is in another file wrapped in the same run (VS Code's mcp.json and
 * settings.json): then it is not worth a warning.
 */
function inOtherFile(
  warning: string,
  label: string,
  planned: readonly PlannedFile<WrapPlan>[],
): boolean {
  return planned.some(({ file, plan }) =>
    file.path !== label &&
    plan.servers.some((server) => warning === intentMapNamesMissing(server.name, label))
  );
}

/**
 * A server as its warnings name it: a key pasted as a name by fingerprint
 * only, an entry of a Claude Code project with the project (several projects
 * often have a server of one name).
 */
function serverLabel(server: { name: string; project?: string }): string {
  const name = shownUnlessKey(server.name);
  return server.project === undefined ? name : `${name} (project ${server.project})`;
}
