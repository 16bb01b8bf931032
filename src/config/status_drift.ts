/**
 * The drift `thoth status` finds across governed servers rather than in one
 * entry (see `planStatus`): agent ids shared by differently named
 * servers, or by one name that starts different commands in several Claude
 * Code scopes; and session intents the intent map gives a server's name that
 * its agent id does not reach, or no longer gives as wrap-config wrote them.
 * Pure but for what the `RunReaders` read.
 *
 * @example
 * ```ts
 * // "fs" and "files" both run as --agent-id fs: each row gets drift naming the other.
 * markSharedAgentIds(rows, new Map());
 * ```
 */
import type { ServerStatus } from "./status_report.ts";
import {
  intentUnderName,
  intentUnderNameNow,
  invocationContext,
  type NameIntentNow,
} from "./wrap_entry.ts";
import { parseWrapRecord } from "./wrap_record.ts";
import type { RunReaders } from "./run_refusals.ts";
import type { RunEntry } from "./run_entry.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";

/**
 * Adds drift to each governed server whose agent id a differently named
 * server has too, or a server of the same name in another Claude Code scope
 * that starts another command.
 */
export function markSharedAgentIds(
  servers: readonly ServerStatus[],
  upstreams: ReadonlyMap<ServerStatus, readonly string[]>,
): void {
  const byId = new Map<string, ServerStatus[]>();
  for (const row of servers) {
    if (!row.governed || row.agentId === null) continue;
    byId.set(row.agentId, [...(byId.get(row.agentId) ?? []), row]);
  }
  const started = (row: ServerStatus) => JSON.stringify(upstreams.get(row) ?? []);
  for (const [id, rows] of byId) {
    // One server in several Claude Code projects is one server: same name, same id, same
    // command. The same name starting another command is another server under that id.
    const names = [...new Set(rows.map((row) => row.name))];
    if (names.length < 2) {
      if (new Set(rows.map(started)).size < 2) continue;
      for (const row of rows) {
        const others = rows.filter((other) => started(other) !== started(row)).map(scopeOf);
        row.drift.push(
          `agent id "${id}" is also the agent id of "${shownUnlessKey(row.name)}" in ${
            others.join(", ")
          }, ` +
            `which starts another command: policy rules, intents and audit records cannot ` +
            "tell them apart; give one another --agent-id by hand",
        );
      }
      continue;
    }
    for (const row of rows) {
      const others = names.filter((name) => name !== row.name).map((name) =>
        `"${shownUnlessKey(name)}"`
      );
      row.drift.push(
        `agent id "${id}" is also the agent id of ${others.join(", ")}: policy rules, intents ` +
          "and audit records cannot tell them apart; give one another --agent-id by hand",
      );
    }
  }
}

/** A governed server as the intent check reads it. */
export interface GovernedEntry {
  /** The entry as `thoth run` reads it. */
  entry: RunEntry;
  /** Its agent id as written (not as the report shows it). */
  agentId: string;
  /** Whether thoth run would start it with no session intent. */
  intentless: boolean;
  /** Its `--intent`, when wrap-config took it from the intent map under its name. */
  takenFromMap?: string;
}

/**
 * The `--intent` of a governed entry when its `THOTH_WRAP` record says
 * wrap-config took it from the intent map under the server's name (and it
 * was not changed since); else undefined, also for a record it cannot read
 * (`runRefusals` reports that one as a refusal: `thoth run` will not start it).
 */
export function intentTakenFromMap(
  env: Parameters<typeof invocationContext>[0],
  intent: string | undefined,
): string | undefined {
  const value = invocationContext(env).wrapRecord;
  if (value === undefined || intent === undefined) return undefined;
  try {
    return parseWrapRecord(value).intent === intent ? intent : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adds drift to each governed server that runs with no session intent while
 * the intent map has an entry under its name, or the plain id its name gives,
 * that its agent id does not reach (see `intentUnderName`): `git` in a second
 * Claude Code project runs as `git-web`, and the entry `"git"` does not reach
 * it. A key that is the agent id of a server of another name is that
 * server's.
 */
export function markIntentUnderName(
  governed: ReadonlyMap<ServerStatus, GovernedEntry>,
  readers: RunReaders,
  wrapCommand: string,
): void {
  const ids = new Map<string, Set<string>>();
  for (const [row, { agentId }] of governed) {
    ids.set(agentId, (ids.get(agentId) ?? new Set()).add(row.name));
  }
  for (const [row, { entry, agentId, intentless, takenFromMap }] of governed) {
    const heldByOther = (key: string) =>
      [...(ids.get(key) ?? [])].some((name) => name !== row.name);
    if (takenFromMap !== undefined) {
      const stale = staleMapIntent(
        takenFromMap,
        intentUnderNameNow(entry, row.name, agentId, readers, heldByOther),
        agentId,
      );
      if (stale !== undefined) {
        row.drift.push(`${stale}: run ${wrapCommand} again to bring it up to date`);
      }
      continue;
    }
    if (!intentless) continue;
    const named = intentUnderName(entry, row.name, agentId, readers, heldByOther);
    if (named === undefined) continue;
    const id = JSON.stringify(shownIdentifier(agentId));
    row.drift.push(
      `the intent map "${named.file}" gives ${JSON.stringify(named.key)} the intent ` +
        `${JSON.stringify(shownIdentifier(named.intent))}, but this server runs as ${id} with ` +
        `none, which widens what it may do: add ${id} to the intent map, or run ` +
        `${wrapCommand} again to write the intent as --intent`,
    );
  }
}

/**
 * Why an `--intent` wrap-config took from the intent map under the server's
 * name no longer is what the map gives it; undefined while it is, or when
 * the map cannot be read.
 */
function staleMapIntent(
  taken: string,
  now: NameIntentNow,
  agentId: string,
): string | undefined {
  const was = `--intent ${JSON.stringify(shownIdentifier(taken))} was taken from the intent map ` +
    "under this server's name";
  if (now.kind === "unknown") return undefined;
  if (now.kind === "named") {
    if (now.named.intent === taken) return undefined;
    return `${was}, and the intent map "${now.named.file}" now gives ${
      JSON.stringify(now.named.key)
    } the intent ${JSON.stringify(shownIdentifier(now.named.intent))}`;
  }
  if (now.kind === "own") {
    return `${was}, and the intent map "${now.file}" now has an entry under its agent id ${
      JSON.stringify(shownIdentifier(agentId))
    }, which thoth run reads without that --intent`;
  }
  return `${was}, which no longer gives that name an intent`;
}

/** Where a Claude Code server is defined: its project, or the user scope. */
function scopeOf(row: ServerStatus): string {
  return row.project === null ? "the user scope" : `project ${JSON.stringify(row.project)}`;
}

/**
 * A tenant, agent id, intent or flag as the report shows it: as written, or by fingerprint
 * when it is a key (pasted into the wrong flag, it must not reach an MDM's logs in clear):
 * exactly when `thoth run` refuses it as an id (`flaggedAsKey`), so an id the server runs
 * under (`pg-asia-east`, a dashless UUID tenant) is shown as it is.
 */
export function shownIdentifier(value: string | null): string | null {
  return value === null ? null : shownUnlessKey(value);
}
