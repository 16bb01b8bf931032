/**
 * What `thoth run` would make of each entry `wrap-config` writes
 * ({@linkcode checkWrapRefusals}): a refusal the plan would add is a usage
 * error, and nothing is planned; one the entry already had, a server name
 * that is no valid agent id, the policy and intent checks and a tenant whose
 * `env` sets no `THOTH_USER_ID` are warnings. Pure: reads the entries as
 * `thoth run`'s own readers do (see `run_refusals.ts`).
 *
 * @example
 * ```ts
 * const warnings = checkWrapRefusals(servers, before, after, { run: readers, label: "c.json" });
 * // throws usage.refused_by_run when a wrapped entry gains a refusal
 * ```
 */
import type { ServerReport } from "./config_plan.ts";
import { type RunReaders, runRefusals } from "./run_refusals.ts";
import { describeRefusal, type Refusal } from "./run_refusal.ts";
import type { RunEntry } from "./run_entry.ts";
import { AppError } from "../errors.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { clientEnvRefusalProblem } from "./server_problem.ts";

/**
 * One warning for the servers whose tenant needs a user id that no `env`
 * written sets: `thoth run` refuses them unless the client's own environment
 * sets `THOTH_USER_ID` (wrap-config has no --user-id flag; `--env` writes it).
 */
function noUserWarning(servers: ReadonlyMap<string, string>): string[] {
  if (servers.size === 0) return [];
  const tenants = [...new Set(servers.values())].map((t) => `"${t}"`).join(", ");
  const names = [...servers.keys()].map((n) => `"${shownUnlessKey(n)}"`).join(", ");
  return [
    `no THOTH_USER_ID written for tenant ${tenants}: thoth run refuses to start ${names} ` +
    "unless the client's own environment sets THOTH_USER_ID (a GUI client does not get your " +
    "shell's); wrap again with --env THOTH_USER_ID=you@company.com to write it into each " +
    'server\'s "env"',
  ];
}

function tenantOf(entry: RunEntry): string | undefined {
  const flag = entry.flags.findLast(([name]) => name === "--tenant-id")?.[1];
  const env = entry.env["THOTH_TENANT_ID"];
  return flag ?? (env === "" ? undefined : env);
}

/**
 * Throws `usage.refused_by_run` when the plan would give an entry something
 * `thoth run` refuses that it did not have; warns about what it only keeps.
 * The policy, the intent map and the session intent are only warned about,
 * and so is a tenant whose `env` sets no `THOTH_USER_ID` (only the client's
 * own environment could supply it): one warning for the plan, returned.
 */
export function checkWrapRefusals(
  servers: ServerReport[],
  before: readonly (RunEntry | undefined)[],
  after: readonly (RunEntry | undefined)[],
  options: {
    /** `thoth run`'s own readers. */
    run: RunReaders;
    /** The file name used in messages. */
    label: string;
    /** `--env KEY=VALUE` pairs, in order. */
    env?: readonly (readonly [string, string])[];
  },
): string[] {
  const { flagNames, readFlag, repeatedFlag } = options.run;
  const readers: RunReaders = { flagNames, readFlag, repeatedFlag };
  const errors: { server: string; refusal: Refusal }[] = [];
  const noUser = new Map<string, string>();
  servers.forEach((server, i) => {
    const entry = after[i];
    if (server.action === "skipped" || entry === undefined) return;
    const had = new Set(
      before[i] === undefined ? [] : runRefusals(before[i], readers).refusals.map(describeRefusal),
    );
    // The policy and the session intent as this entry's thoth run reads them (its
    // THOTH_HOME, its --policy): a warning, since fixing the policy needs no rewrap.
    if (options.run.policyIntents !== undefined) {
      const check = runRefusals(entry, options.run);
      for (const refusal of check.refusals) {
        if (!["--intent", "--policy", "intent_map.json"].includes(refusal.subject)) continue;
        // A relative --policy: it may start, in a folder that holds it; status --check fails.
        server.warnings.push(
          refusal.clientEnv
            ? `${refusal.message}; ${refusal.fix} ("thoth status --check" fails on it)`
            : `thoth run will refuse to start it: ${refusal.message}; ${refusal.fix}`,
        );
      }
      // The warning above says what "policy not checked" would.
      server.warnings.push(
        ...check.unchecked.filter((note) => !note.startsWith("policy not checked: ")),
      );
    }
    for (const refusal of runRefusals(entry, readers).refusals) {
      if (refusal.clientEnv) {
        noUser.set(server.name, tenantOf(entry) ?? "");
        (server.notes ??= []).push(clientEnvRefusalProblem(refusal));
      } else if (had.has(describeRefusal(refusal))) {
        server.warnings.push(
          `thoth run will refuse to start it: ${refusal.message}; ${refusal.fix}`,
        );
      } else if (refusal.subject === "--agent-id" && server.action === "wrapped") {
        server.warnings.push(
          `its name is not a valid agent id, so thoth run will refuse to start it: ` +
            `${refusal.message}; rename the server in ${options.label}, then wrap again`,
        );
      } else {
        errors.push({ server: server.name, refusal });
      }
    }
  });
  const [first] = errors;
  if (first === undefined) return noUserWarning(noUser);
  const names = [...new Set(errors.map((error) => error.server))];
  const more = names.length > 1
    ? ` (and ${names.slice(1).map((n) => `"${shownUnlessKey(n)}"`).join(", ")})`
    : "";
  const hints = [first.refusal.fix];
  const blank = (options.env ?? []).find(([key, value]) =>
    key === first.refusal.subject && value === ""
  );
  if (blank !== undefined) {
    hints.push(
      `"--env ${blank[0]}=" has an empty value: is $${blank[0]} unset in the shell that ran it?`,
    );
  }
  hints.push("nothing was written");
  throw new AppError(
    "usage.refused_by_run",
    `thoth run would refuse to start "${
      shownUnlessKey(first.server)
    }"${more} as wrapped: ${first.refusal.message}`,
    { hints },
  );
}
