/**
 * What `thoth status` reports, as types: one {@linkcode ServerStatus} row per
 * server (whether it runs through thoth, with what identity, intent and
 * mode, what has drifted, what `thoth run` would refuse) and the counts over
 * them ({@linkcode StatusReport}). Field names are stable: scripts read
 * `thoth status --json`. `planStatus` (`plan_status.ts`) makes them.
 *
 * @example
 * ```ts
 * const report: StatusReport = planStatus(text, { isFile });
 * report.servers.filter((row: ServerStatus) => row.state === "ungoverned");
 * ```
 */

/**
 * Where a server stands, as the table's Governed column shows it:
 * - `governed` (✓): started as `thoth run [flags] -- <command>`, enabled or not;
 * - `not_understood` (?): its command names thoth, but not in that shape; the note says why;
 * - `ungoverned` (✗): a stdio server that runs without thoth, enabled or not (Claude Code
 *   ignores `"disabled"`; other clients enable it with one toggle);
 * - `not_applicable` (—): a remote server, or an entry with no command to start.
 */
export type ServerState = "governed" | "not_understood" | "ungoverned" | "not_applicable";

/** One server's row. Field names are stable: scripts read `--json`. */
export interface ServerStatus {
  /** The server's key in the config. */
  name: string;
  /** The Claude Code project the entry belongs to, or null. */
  project: string | null;
  /** How the client talks to it; `unknown` for entries thoth cannot read. */
  transport: "stdio" | "remote" | "unknown";
  /** Whether the entry says `"disabled": true`. */
  disabled: boolean;
  /** Whether the client starts it through `thoth run`: `state` is `governed`. */
  governed: boolean;
  /** Where the server stands; see {@linkcode ServerState}. */
  state: ServerState;
  /** `--agent-id`, or null. */
  agentId: string | null;
  /**
   * The tenant `thoth run` would use: `--tenant-id`, else `THOTH_TENANT_ID`
   * in the entry's `env` (an empty value counts as unset); null when neither.
   */
  tenantId: string | null;
  /** Where `tenantId` comes from: `"--tenant-id"`, `"env"` (the entry's `env`), or null. */
  tenantIdSource: "--tenant-id" | "env" | null;
  /**
   * The session intent thoth run would govern with: `--intent`, else (with
   * `run` readers) the server's entry in the intent map of its profile; null
   * when none, or when the map is one thoth run refuses (see `refusals`).
   */
  intent: string | null;
  /** Where `intent` comes from: `"--intent"`, `"intent_map"`, or null with no intent. */
  intentSource: "--intent" | "intent_map" | null;
  /** `--enforcement-mode`, or null. */
  enforcementMode: string | null;
  /** The command the client starts: thoth's path when governed. */
  command: string | null;
  /** The upstream server's command, when known. */
  upstreamCommand: string | null;
  /** What differs from what `wrap-config` writes today. */
  drift: string[];
  /**
   * What `thoth run` would refuse to start this entry with, each naming the
   * value and the fix; also in `drift`. Empty when it would start.
   */
  refusals: string[];
  /**
   * Why the client cannot start this entry at all: a thoth path or script
   * that is not a file on this machine (a typo in `--thoth-path`, thoth
   * moved or not installed), each with the fix; also in `drift`. Empty when
   * thoth is there.
   */
  cannotStart: string[];
  /**
   * What `thoth run` warns about as it starts this server (it still starts):
   * an intent map key that differs from its agent id only by case, so it runs
   * without a session intent. Also in `note`. Empty when none.
   */
  warnings: string[];
  /**
   * Why a server is not governed or not applicable; for a governed one, what
   * `thoth run` warns about (`warnings`) and what could not be checked (an
   * intent whose policy cannot be read). Else null.
   */
  note: string | null;
}

/** The whole status. */
export interface StatusReport {
  /** One row per server entry, in file order. */
  servers: ServerStatus[];
  /** Counts over `servers`. */
  summary: {
    /** All entries. */
    servers: number;
    /** Entries that run through thoth. */
    governed: number;
    /** Stdio servers that run without thoth, disabled ones too: what `--check` fails on. */
    ungoverned: number;
    /** Entries that name thoth but are not understood: `--check` fails on them too. */
    notUnderstood: number;
    /** Remote entries and entries with no command (state `not_applicable`). */
    notApplicable: number;
    /** Entries with drift. */
    drifted: number;
    /** Entries `thoth run` would refuse to start (see `refusals`): `--check` fails on them. */
    refused: number;
    /** Entries the client cannot start (see `cannotStart`): `--check` fails on them. */
    cannotStart: number;
  };
}
