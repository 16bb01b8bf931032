/**
 * What wrap-config selected for one server entry: the options
 * {@linkcode wrapEntry} (`wrap_entry.ts`) writes it with. Types only.
 */
import type { AgentIds } from "./agent_id_for.ts";
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import type { RunReaders } from "./run_refusals.ts";

/** The selected values for one entry. */
export interface EntryWrapOptions {
  /** How thoth is started: `[absolute path]` or `[deno, run, …, script]`. */
  thothCommand: readonly string[];
  tenantId?: string;
  enforcementMode?: EnforcementMode;
  intent?: string;
  env?: readonly (readonly [string, string])[];
  /** The config's agent ids: a server without one gets its id from here (see `AgentIds`). */
  agentIds?: AgentIds;
  /** Where `thoth set-api-key` saves a key here, named when an `--api-key` is taken out of args. */
  apiKeyFile?: string;
  /** Who must run `thoth set-api-key` for the key to reach that file, when not this user. */
  apiKeyRunAs?: string;
  /** The Claude Code project the entry belongs to, to tell servers of one name apart. */
  project?: string;
  /**
   * `thoth run`'s readers (only `mappedIntent` and `os` are used): with them,
   * a server left with no intent whose name has an entry in the intent map
   * its agent id does not reach gets that entry's intent as `--intent` (see
   * `intentUnderName`).
   */
  run?: RunReaders;
}
