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
  /** The `PATH` the config's `env` block sets for this server, if any. */
  readonly pathOverride?: string | null;
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
}
