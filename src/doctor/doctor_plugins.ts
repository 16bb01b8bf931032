/**
 * The seams `thoth doctor` and `thoth health` look through for what other
 * parts of thoth own: policy validation (the policy engine), client configs
 * and their servers (wrap-config), and the audit log (the audit module). Each
 * has a modest default so the checks run before those parts are wired in.
 *
 * @example
 * ```ts
 * const plugins: DoctorPlugins = {
 *   ...defaultDoctorPlugins,
 *   discoverClients: async () => [{ client: "claude-desktop", configPath: "/c.json", servers: [] }],
 * };
 * ```
 */
import type { AuditLogSize } from "../audit/audit_log_size.ts";

/** The outcome of validating the policy file. */
export interface PolicyValidation {
  readonly ok: boolean;
  /** "3 rules, default block" or `line 4 column 9: expected "," or "}"`. */
  readonly message: string;
  /** What to do when it is not ok. */
  readonly hint?: string;
  /** The names of the policy's session intents, when it is ok and the validator reads them. */
  readonly intents?: readonly string[];
}

/** One MCP server in a client config. */
export interface ClientServer {
  /** The server's key in the config (`mcpServers.<name>`). */
  readonly name: string;
  /** Whether the client starts it through `thoth run`. */
  readonly governed: boolean;
  /** The `command` the client runs (`thoth` itself when governed). */
  readonly command: string;
  /** For a governed server, the upstream command after `--`; otherwise null. */
  readonly upstreamCommand: string | null;
  /** The `PATH` the config's `env` block sets for this server, if any (as `envPath` `PATH`). */
  readonly pathOverride?: string | null;
  /**
   * The variables of the entry's `env` block whose name is `PATH` in any
   * case, as `[name, value]` in file order (only these: the block can hold
   * secrets); none when absent. The doctor looks the entry's command (and a
   * governed entry's upstream command) up on the one the client uses: see
   * `server_path.ts`.
   */
  readonly envPath?: readonly (readonly [string, string])[] | null;
  /**
   * For an entry that names thoth in a shape `thoth status` cannot read
   * (`"state": "not_understood"`), its note there, `thoth entry not
   * understood: <reason>`; otherwise null or absent. Such a server is not
   * governed: it fails to start, or nobody knows what it runs.
   */
  readonly notUnderstood?: string | null;
  /**
   * For a governed server, what `thoth run` would refuse to start it with
   * (`thoth status`'s `refusals`, each naming the value and the fix); none
   * when absent. Such a server does not start at all.
   */
  readonly refusals?: readonly string[] | null;
  /**
   * For a governed server, what `thoth run` warns about as it starts it
   * (`thoth status`'s `warnings`: an intent map key that differs from its
   * agent id only by case); none when absent. It still starts.
   */
  readonly warnings?: readonly string[] | null;
  /**
   * Whether the entry says `"disabled": true`. Such a server is judged like
   * any other: Claude Code ignores `disabled`, and other clients start it
   * again with one switch in their settings.
   */
  readonly disabled?: boolean | null;
  /**
   * For a governed server, how its entry starts thoth: the command and the
   * arguments before `run` (`["/usr/local/bin/thoth"]`, or `deno` with its
   * flags and script). The doctor checks that this really is thoth.
   */
  readonly thothLaunch?: readonly string[] | null;
  /**
   * For a governed server, the `--enforcement-mode` its entry gives (`thoth
   * run` uses `block` without one); null or absent otherwise.
   */
  readonly enforcementMode?: string | null;
}

/**
 * A server in a client config that the client does not start as a local
 * command: a remote one (`url`, `type` http/sse), which thoth does not govern
 * (it governs stdio servers), or an entry with no command to start.
 */
export interface OtherServer {
  readonly name: string;
  /** `remote`: reached over the network; `invalid`: nothing the client can start. */
  readonly kind: "remote" | "invalid";
  /** Why, in `thoth status`'s words. */
  readonly note: string;
  /** Whether the entry says `"disabled": true`. */
  readonly disabled: boolean;
}

/** One client config file and the servers in it. */
export interface ClientConfigReport {
  /** A stable client id, as `thoth status --client` takes it, e.g. "claude-desktop". */
  readonly client: string;
  readonly configPath: string;
  readonly servers: readonly ClientServer[];
  /**
   * Why the file could not be read or parsed as the client reads it (not a
   * regular file, broken JSON, a key given twice), or null or absent when it
   * could. Its servers are then unknown (none listed), not "none".
   */
  readonly problem?: string | null;
  /** What to do about `problem`, when known. */
  readonly problemHint?: string | null;
  /** The servers the client does not start as local commands (remote ones, invalid entries). */
  readonly otherServers?: readonly OtherServer[] | null;
  /** `user`: the client's own config; `project`: a project folder's (none: not known). */
  readonly scope?: "user" | "project" | null;
}

/** One place a client reads MCP servers from, and whether a file was there. */
export interface ClientPlace {
  readonly client: string;
  readonly path: string;
  /** `user`: the client's own config; `project`: a project folder's. */
  readonly scope: "user" | "project";
  /** Whether a file (or something else) is at `path`. */
  readonly found: boolean;
}

/** What client discovery found, and where it looked. */
export interface ClientDiscovery {
  readonly reports: readonly ClientConfigReport[];
  /** Every place looked at, found or not. */
  readonly places: readonly ClientPlace[];
  /** The places a client may read that were not looked at, in words. */
  readonly notChecked: readonly string[];
}

/** Whether the command a governed entry starts really is thoth, as far as the doctor checked. */
export interface ThothCheck {
  /**
   * `verified`: the same file as this thoth, or it answers `--version` as
   * thoth does; `not_thoth`: it answers otherwise; `missing`: no executable
   * file at that path or on the client's PATH, so the server does not start;
   * `unverified`: not checked (`detail` says why).
   */
  readonly outcome: "verified" | "not_thoth" | "missing" | "unverified";
  /** What was found, in words: "the same file as this thoth", what it printed, … */
  readonly detail: string;
}

/** The audit log's state, as the audit module reports it. */
export interface AuditHealth {
  /** `ok`: verified; `degraded`: tampering or damage; `missing`: no log yet; `unknown`: not checked. */
  readonly status: "ok" | "degraded" | "missing" | "unknown";
  readonly lastSequence: number | null;
  /** ISO 8601 time of the last signed checkpoint. */
  readonly lastCheckpointAt: string | null;
  readonly verified: boolean | null;
  readonly message: string;
  readonly hint?: string;
  /**
   * Spool files (records that gate a call, written by a session before they
   * reach the chained log) older than a batch, or null when none wait;
   * absent when not looked at. See {@linkcode AuditSpool}.
   */
  readonly spool?: AuditSpool | null;
  /** Why the spool was not looked at (its folder is a symbolic link, say); null or absent when it was. */
  readonly spoolProblem?: string | null;
  /** The log's segment files by size (a stat of each), null when they cannot be looked at. */
  readonly logSize?: AuditLogSize | null;
}

/**
 * Spool files of other sessions that wait to be taken into the audit log.
 * A file older than `orphanAfterMs` was left by a session that ended (or was
 * killed) before it wrote them: the next session to start, or a running
 * one's sweep, takes it in. A younger one belongs to a running session.
 */
export interface AuditSpool {
  /** How many files wait. */
  readonly files: number;
  /** How many of them are older than `orphanAfterMs`: left by sessions that ended. */
  readonly due: number;
  /** The age of the oldest, in milliseconds. */
  readonly oldestMs: number;
  /** The age from which a session takes another's spool file in. */
  readonly orphanAfterMs: number;
}

/** What the profile inspectors need to know about where they run. */
export interface PluginContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly thothHome: string;
  readonly os: string;
}

/** The pluggable parts; see `defaultDoctorPlugins` for what each does until wired. */
export interface DoctorPlugins {
  /** Validates the text of `<thothHome>/policy.jsonc`. */
  readonly validatePolicy: (text: string, path: string) => PolicyValidation;
  /** Finds client configs and their servers; null when this build cannot. */
  readonly discoverClients:
    | ((context: PluginContext) => Promise<readonly ClientConfigReport[]>)
    | null;
  /** Reports the audit log's state. Must be fast (it runs under `thoth health`). */
  readonly auditHealth: (context: PluginContext) => Promise<AuditHealth>;
  /**
   * Like `discoverClients`, with the places looked at and those not; when
   * present, `doctor` and `health` use it instead.
   */
  readonly discoverClientPlaces?:
    | ((context: PluginContext) => Promise<ClientDiscovery>)
    | null;
  /**
   * Checks that `launch` (a governed entry's {@linkcode ClientServer.thothLaunch},
   * from the config at `configPath`) starts thoth, a bare command looked up
   * on `path` (the client's PATH). Only `doctor` calls it (it may start the
   * command with `--version`, never one a project's config names: `scope`);
   * absent: not checked.
   */
  readonly verifyThoth?:
    | ((
      launch: readonly string[],
      path: string,
      context: PluginContext,
      configPath: string,
      scope: "user" | "project",
    ) => Promise<ThothCheck>)
    | null;
}
