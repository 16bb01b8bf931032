/**
 * Which governed servers of a config `wrap-config` wrote (or would write with
 * `--dry-run`) `thoth run` would refuse to start, found exactly as `thoth
 * status` finds them (one walk: {@linkcode planStatusWithRefusals}), each
 * refusal sorted by what `wrap-config` makes of it:
 * - a refusal only the client's own environment could lift
 *   (`Refusal.clientEnv`: a tenant's `THOTH_USER_ID` the entry's `env` does
 *   not set) is left out: `planWrap` already warns about it;
 * - with `elsewhere` (`--thoth-path-elsewhere`), a refusal that goes away
 *   when the policy and the intent map are not read is this machine's
 *   profile's (`profile`: a warning), since the machines the config is for
 *   have their own; every other refusal fails the command (`errors`).
 *
 * Pure but for what the readers read.
 *
 * @example
 * ```ts
 * const servers = notStarting(plan.text, {
 *   label: "/home/ana/.cursor/mcp.json",
 *   thothCommand: ["/usr/local/bin/thoth"],
 *   run: thothRunReaders(thothHome),
 *   elsewhere: false,
 * });
 * servers[0]?.name; // '"fs"', or '"fs" (project /home/ana/app)' for a Claude Code project server
 * servers[0]?.errors; // ['intent "coding" is not in the policy …; map the server to …']
 * ```
 */
import type { ClientId } from "./client_id.ts";
import { planStatusWithRefusals } from "./plan_status.ts";
import { type RunReaders, runRefusals } from "./run_refusals.ts";
import { describeRefusal, type Refusal } from "./run_refusal.ts";

/** How `thoth run` words a refusal; wrap-config's lines say it once. */
const REFUSAL_LEAD = /^thoth run will refuse to start: /;

/** One governed server of a written config that `thoth run` would refuse, as wrap-config reports it. */
export interface NotStarting {
  /** The server as the lines name it: `"fs"`, with its Claude Code project. */
  name: string;
  /** What fails the run (exit 1), each as `thoth run` words it, without its lead. */
  errors: string[];
  /**
   * With `--thoth-path-elsewhere`, what only this machine's profile makes
   * `thoth run` refuse (its policy, its intent map, a `--policy` file as it
   * is here): a warning, since the machines the config is for have their own.
   */
  profile: string[];
  /** The server's key and its Claude Code project (null for none), as the config has them. */
  server: { name: string; project: string | null };
  /** The refusals behind `errors` and `profile`, in the same order, with their fixes. */
  refusals: { errors: Refusal[]; profile: Refusal[] };
}

/** Options for {@linkcode notStarting}. */
export interface NotStartingOptions {
  /** The file, as messages name it. */
  label: string;
  /** Only this client's places; every known place when absent. */
  client?: ClientId;
  /** The thoth command wrap-config wrote, so its entries are recognised as wrapped. */
  thothCommand: readonly string[];
  /** `thoth run`'s own readers, this machine's profile included. */
  run: RunReaders;
  /** `--thoth-path-elsewhere`: split off what only this machine's profile refuses. */
  elsewhere: boolean;
}

/**
 * The governed servers of `text` that `thoth run` would refuse to start, in
 * file order, each with its refusals sorted (see the module doc); a server
 * left with none is not listed.
 */
export function notStarting(text: string, options: NotStartingOptions): NotStarting[] {
  const { policyIntents: _policy, mappedIntent: _map, ...profileFree } = options.run;
  const { governed } = planStatusWithRefusals(text, {
    label: options.label,
    ...(options.client === undefined ? {} : { client: options.client }),
    thothCommand: options.thothCommand,
    run: options.run,
    // Only the refusals are read: whether thoth is a file here is no refusal of thoth run's.
    isFile: () => true,
  });
  const counted = (refusals: readonly Refusal[]) =>
    refusals.filter((refusal) => !refusal.clientEnv);
  const shown = (refusals: readonly Refusal[]) =>
    refusals.map((refusal) => describeRefusal(refusal).replace(REFUSAL_LEAD, ""));
  const found: NotStarting[] = [];
  for (const { row, entry, refusals } of governed) {
    const all = counted(refusals);
    // Without the profile's policy and intent map, what is left would be refused anywhere.
    const anywhere = options.elsewhere ? counted(runRefusals(entry, profileFree).refusals) : all;
    const anywhereShown = shown(anywhere);
    const profile = all.filter((refusal) => !anywhereShown.includes(shown([refusal])[0]!));
    if (anywhere.length === 0 && profile.length === 0) continue;
    found.push({
      name: `"${row.name}"${row.project === null ? "" : ` (project ${row.project})`}`,
      errors: anywhereShown,
      profile: shown(profile),
      server: { name: row.name, project: row.project },
      refusals: { errors: [...anywhere], profile },
    });
  }
  return found;
}
