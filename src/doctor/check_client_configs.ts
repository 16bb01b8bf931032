/**
 * Doctor check `client_configs`: which MCP client configs were found (and
 * where it looked, and where not), and how many of their servers run through
 * thoth. Pure: discovery and the thoth binary check come in as data.
 *
 * It fails on every local (stdio) server that is not governed:
 * - one that runs without thoth, with one wrap command per config; an entry
 *   that says `"disabled": true` counts like any other (Claude Code ignores
 *   `disabled`, and other clients start it again with one switch);
 * - one that names thoth in a shape `thoth status` calls not understood, with
 *   the note `thoth status` gives: it fails to start, or nobody knows what it
 *   runs, and `wrap-config` leaves it alone, so the fix is by hand;
 * - one that runs through thoth but that `thoth run` would refuse to start
 *   (what `thoth status` lists in its row's `refusals`): it does not start;
 *   servers refused for the same reason are named together, the reason once;
 * - one whose thoth command is not thoth after all, when the doctor checked
 *   it (see `verify_thoth_launch.ts`): it is not governed, and the fix is a
 *   thoth binary in `command`; one it could not check is a warning;
 * - one whose thoth command is no executable file (thoth moved, or never
 *   installed where a hand-written entry says): governed, as `thoth status`
 *   and `thoth health` count it, but it does not start, and `wrap-config`
 *   writes this thoth's path into it.
 *
 * The count says how many servers are governed as `thoth status` counts
 * them (an entry that runs through thoth, whether or not it starts), less
 * those whose thoth command answers as something else, and how many of them
 * will not start (refused by `thoth run`, or no thoth there).
 *
 * A config that cannot be read as the client reads it (a FIFO or a folder at
 * its path, broken JSON, a key given twice) fails too: nobody can vouch for
 * its servers. A governed server that `thoth run` starts with a warning (an
 * intent map key that differs from its agent id only by case) and a remote
 * server (thoth governs stdio servers only, so its calls are not checked)
 * are warnings. With several configs each server is named with its config.
 * With no home folder known (`noHome`), no config was looked for: the check
 * says so, and that setting the variable is the fix.
 *
 * @example
 * ```ts
 * checkClientConfigs(reports).message;
 * // '2 client configs, 4 of 6 servers governed (1 that will not start); not governed: slack …'
 * ```
 */
import type { DoctorCheck } from "./doctor_check.ts";
import type {
  ClientConfigReport,
  ClientPlace,
  ClientServer,
  ThothCheck,
} from "./doctor_plugins.ts";
import { clientConfigRemedy } from "./client_config_remedy.ts";
import { pasteQuote } from "./paste_quote.ts";
import { SAME_OPTIONS, wrapConfigLine } from "./wrap_config_line.ts";

/** A server as this check reads it: with what `thoth run` would refuse, when discovery says. */
export interface CheckedServer extends ClientServer {
  /** What `thoth run` would refuse to start it with (`thoth status`'s `refusals`); none when absent. */
  readonly refusals?: readonly string[] | null;
  /** For a governed server, whether its thoth command is thoth; not checked when absent. */
  readonly thothCheck?: ThothCheck | null;
}

/** A config as this check reads it. */
export interface CheckedConfig extends ClientConfigReport {
  readonly servers: readonly CheckedServer[];
}

/** Where discovery looked, and where not. */
export interface LookedAt {
  readonly places: readonly ClientPlace[];
  readonly notChecked: readonly string[];
}

/** Summarizes discovered configs; `null` means discovery is not available. */
export function checkClientConfigs(
  reports: readonly CheckedConfig[] | null,
  lookedAt: LookedAt | null = null,
  /** The home variable that is not set (`HOME`; `USERPROFILE` on Windows), or null. */
  noHome: string | null = null,
): DoctorCheck {
  if (reports === null) {
    return {
      id: "client_configs",
      status: "warn",
      message: "not checked: this build cannot discover MCP client configs yet",
      hint: null,
    };
  }
  // Where it looked: a line each in the report, not one line of a thousand characters.
  const details = lookedAt === null ? {} : { details: placesLines(lookedAt) };
  if (reports.length === 0 && noHome !== null) {
    // Nothing was looked for: "install Claude Desktop" would send the user the wrong way.
    return {
      id: "client_configs",
      status: "warn",
      message: `no MCP client config looked for: ${noHome} is not set, so the home folder ` +
        "the clients keep their configs in is not known",
      hint: `set ${noHome} to your home folder (${
        noHome === "HOME" ? 'export HOME="/home/<you>"' : '$env:USERPROFILE = "C:\\Users\\<you>"'
      }) and run "thoth doctor" again, or check one config with "thoth status --config FILE"`,
    };
  }
  if (reports.length === 0) {
    return {
      id: "client_configs",
      status: "warn",
      message: "no MCP client configs found",
      hint: 'install Claude Desktop and add an MCP server, then run "thoth wrap-config"',
      ...details,
    };
  }
  const label = configLabels(reports);
  const named = (s: { name: string; config: CheckedConfig }) =>
    reports.length > 1 ? `${s.name} (${label(s.config)})` : s.name;
  const broken = reports.filter((r) => typeof r.problem === "string");
  const servers = reports.flatMap((config) => config.servers.map((s) => ({ ...s, config })));
  // A command that answers otherwise is something else: not governed.
  const notThoth = servers.filter((s) => s.governed && s.thothCheck?.outcome === "not_thoth");
  const notGoverned = servers.filter((s) => !s.governed);
  const unread = notGoverned.filter((s) => typeof s.notUnderstood === "string");
  const ungoverned = notGoverned.filter((s) => typeof s.notUnderstood !== "string");
  // Governed as status and health count it: it runs through thoth, or nothing runs at all.
  const governed = servers.filter((s) => s.governed && !notThoth.includes(s));
  // No thoth where the entry says: governed, but the client cannot start it.
  const thothMissing = governed.filter((s) => s.thothCheck?.outcome === "missing");
  const refused = governed.filter((s) => (s.refusals ?? []).length > 0);
  const stuck = governed.filter((s) => thothMissing.includes(s) || refused.includes(s));
  const warned = governed.filter((s) => !stuck.includes(s) && (s.warnings ?? []).length > 0);
  const unverified = governed.filter((s) => s.thothCheck?.outcome === "unverified");
  const others = reports.flatMap((config) =>
    (config.otherServers ?? []).map((s) => ({ ...s, config }))
  );
  const remote = others.filter((s) => s.kind === "remote");
  const invalid = others.filter((s) => s.kind === "invalid");
  const base = `${reports.length} client config${reports.length === 1 ? "" : "s"}, ` +
    `${governed.length} of ${servers.length} servers governed` +
    (stuck.length === 0 ? "" : ` (${stuck.length} that will not start)`);

  const found: string[] = [];
  const fixes: string[] = [];
  for (const report of broken) {
    found.push(
      `${report.client}: its config cannot be used, so its servers are unknown: ${report.problem}`,
    );
    fixes.push(clientConfigRemedy(report));
  }
  if (ungoverned.length > 0) {
    found.push(
      `not governed: ${
        ungoverned.map((s) => named(s) + (s.disabled === true ? ` [disabled]` : "")).join(", ")
      }`,
    );
    if (ungoverned.some((s) => s.disabled === true)) {
      found.push(
        'a server marked [disabled] still runs without thoth: Claude Code ignores "disabled", ' +
          "and other clients start it again with one switch",
      );
    }
    for (const [config, list] of byConfig(ungoverned)) {
      const path = config.configPath;
      fixes.push(
        `${
          reports.length > 1 ? `wrap ${list.map((s) => s.name).join(", ")}` : "wrap them"
        } ${SAME_OPTIONS} with: ${wrapConfigLine(config.client, path)}`,
      );
    }
  }
  if (unread.length > 0) {
    found.push(...unread.map((s) => `${named(s)}: ${s.notUnderstood}`));
    for (const [config, list] of byConfig(unread)) {
      const path = config.configPath;
      const one = list.length === 1;
      fixes.push(
        `fix the thoth ${one ? "entry" : "entries"} not understood by hand in "${path}" ` +
          `to read "thoth run [flags] -- <command>" (wrap-config leaves ${one ? "it" : "them"} ` +
          `alone), then run: thoth status --config ${pasteQuote(path)}`,
      );
    }
  }
  if (notThoth.length > 0) {
    found.push(...notThoth.map((s) => `${named(s)}: not governed: ${s.thothCheck!.detail}`));
    for (const [config, list] of byConfig(notThoth)) {
      const path = config.configPath;
      fixes.push(
        `set "command" of ${list.map((s) => s.name).join(", ")} in "${path}" to the absolute ` +
          'path of a thoth binary (see "command -v thoth"), then run: thoth doctor',
      );
    }
  }
  if (thothMissing.length > 0) {
    found.push(
      ...thothMissing.map((s) =>
        `${named(s)}: governed, but will not start: ${s.thothCheck!.detail}`
      ),
    );
    for (const [config, list] of byConfig(thothMissing)) {
      const path = config.configPath;
      const one = list.length === 1;
      fixes.push(
        `write this thoth's path into ${one ? "the entry" : "the entries"} of ` +
          `${list.map((s) => s.name).join(", ")} ${SAME_OPTIONS} with: ` +
          wrapConfigLine(config.client, path),
      );
    }
  }
  if (refused.length > 0) {
    // One refusal shared by several servers (one profile policy that cannot be read) is said
    // once, after all their names.
    const byRefusal = new Map<string, string[]>();
    for (const s of refused) {
      const [first, ...more] = s.refusals ?? [];
      const text = `${first}${more.length > 0 ? ` (and ${more.length} more)` : ""}`;
      byRefusal.set(text, [...(byRefusal.get(text) ?? []), named(s)]);
    }
    found.push(...[...byRefusal].map(([text, names]) => `${names.join(", ")}: ${text}`));
    for (const [config] of byConfig(refused)) {
      fixes.push(
        `see what thoth run refuses in each server and the fix with: ` +
          `thoth status --config ${pasteQuote(config.configPath)}`,
      );
    }
  }
  if (warned.length > 0) {
    found.push(...warned.flatMap((s) => (s.warnings ?? []).map((w) => `${named(s)}: ${w}`)));
    for (const [config] of byConfig(warned)) {
      fixes.push(
        'write each intent map entry under the agent id "thoth status" shows for its server ' +
          `(ids are case-sensitive): thoth status --config ${pasteQuote(config.configPath)}`,
      );
    }
  }
  if (unverified.length > 0) {
    found.push(
      ...unverified.map((s) => `${named(s)}: thoth command not checked: ${s.thothCheck!.detail}`),
    );
    fixes.push('run "thoth doctor" as the user whose client starts these servers');
  }
  if (remote.length > 0) {
    found.push(
      `${remote.length} remote server${remote.length === 1 ? "" : "s"} not governed ` +
        `(thoth governs stdio servers only): ${remote.map(named).join(", ")}`,
    );
    fixes.push(
      "thoth does not check calls to a remote server; remove it from the client's config " +
        "if its calls must be governed",
    );
  }
  if (invalid.length > 0) {
    found.push(
      `not started by the client (no command): ` +
        invalid.map((s) => `${named(s)} (${s.note})`).join(", "),
    );
  }
  // Every entry written as thoth run, those found not to be thoth included: not "governed".
  const written = [...governed, ...notThoth];
  const checked =
    written.filter((s) =>
      s.thothCheck !== undefined && s.thothCheck !== null && s.thothCheck.outcome !== "unverified"
    ).length;
  if (checked > 0) {
    found.push(
      `thoth command checked for ${checked} of ${written.length} ` +
        `entr${written.length === 1 ? "y" : "ies"} written as thoth run (it is the same file as ` +
        `this thoth, or "--version" answers like thoth); not checked: that it is an unmodified ` +
        "thoth release",
    );
  }
  const fail = broken.length > 0 || ungoverned.length > 0 || unread.length > 0 ||
    notThoth.length > 0 || stuck.length > 0;
  const warn = warned.length > 0 || unverified.length > 0 || remote.length > 0;
  return {
    id: "client_configs",
    status: fail ? "fail" : warn ? "warn" : "pass",
    message: [base, ...found].join("; "),
    hint: fixes.length === 0 ? null : fixes.join("; "),
    ...details,
  };
}

/** Servers grouped by their config, in order. */
function byConfig<T extends { config: CheckedConfig }>(
  list: readonly T[],
): Map<CheckedConfig, T[]> {
  const map = new Map<CheckedConfig, T[]>();
  for (const item of list) map.set(item.config, [...(map.get(item.config) ?? []), item]);
  return map;
}

/** How a config is named beside its servers: its client, with its path when the client has several. */
function configLabels(
  reports: readonly CheckedConfig[],
): (config: CheckedConfig) => string {
  const count = new Map<string, number>();
  for (const r of reports) count.set(r.client, (count.get(r.client) ?? 0) + 1);
  return (config) =>
    (count.get(config.client) ?? 0) > 1 ? `${config.client} "${config.configPath}"` : config.client;
}

/**
 * Where discovery looked, and where not, a line each: a heading, then its
 * places indented (the project places of the folders ~/.claude.json lists
 * counted on one line, with each one found under it).
 */
function placesLines(lookedAt: LookedAt): string[] {
  const user = lookedAt.places.filter((p) => p.scope === "user");
  const project = lookedAt.places.filter((p) => p.scope === "project");
  const lines = [
    "looked in:",
    ...user.map((p) => `  ${p.client} "${p.path}"${p.found ? "" : " (none)"}`),
  ];
  if (project.length > 0) {
    const found = project.filter((p) => p.found);
    lines.push(
      `  ${project.length} project config places of the folders ~/.claude.json lists` +
        (found.length === 0 ? " (none)" : `, ${found.length} found:`),
      ...found.map((p) => `    ${p.client} "${p.path}"`),
    );
  }
  if (lookedAt.notChecked.length > 0) {
    lines.push("not looked in:", ...lookedAt.notChecked.map((text) => `  ${text}`));
  }
  return lines;
}
