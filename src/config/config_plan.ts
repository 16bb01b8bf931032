/**
 * The shape of a config plan, shared by `wrap-config` and `unwrap-config`
 * (see `plan_wrap.ts`, `plan_unwrap.ts`): the new config text, whether it
 * differs, a report per server, and the warnings and secrets the shell must
 * know of before it writes. Types only.
 *
 * @example
 * ```ts
 * const plan: ConfigPlan = planWrap(text, { thothCommand: ["/opt/thoth/bin/thoth"] });
 * const report: ServerReport | undefined = plan.servers[0];
 * report?.action; // "wrapped"
 * ```
 */
import type { ServerProblem } from "./server_problem.ts";

/** What happened to one server. */
export interface ServerReport {
  /** The server's key in the config. */
  name: string;
  /** The Claude Code project the entry belongs to, if any. */
  project?: string;
  /** What the plan does to it. */
  action: "wrapped" | "updated" | "unchanged" | "skipped" | "unwrapped";
  /** What changed, or why nothing did. */
  reasons: string[];
  /** Things to fix by hand, e.g. a command a GUI client would not find. */
  warnings: string[];
  /** Why a skipped server was skipped, or not restored, as data (`--json`). */
  problem?: ServerProblem;
  /**
   * What needs a look in a server written behind thoth, as data (`--json`,
   * each also in `warnings` or the plan's): a setting thoth no longer reads,
   * two tenants it already had, a tenant's `THOTH_USER_ID` only the client's
   * own environment could supply (`config.will_not_start`, a warning).
   */
  notes?: ServerProblem[];
}

/** The new text and what it changes. */
export interface ConfigPlan {
  /** The config as it should be written. */
  text: string;
  /** Whether `text` differs from the input. */
  changed: boolean;
  /** One report per server entry, in file order. */
  servers: ServerReport[];
  /** Warnings not tied to one server. */
  warnings: string[];
  /**
   * Servers the client starts as local commands (disabled ones too) that are
   * not governed once the plan is written (left as they are), each with why
   * (wrap only).
   */
  ungoverned?: { name: string; project?: string; reason: string }[];
  /**
   * Servers whose `--api-key` the plan takes out of the args (wrap, and unwrap
   * when it drops thoth's args): the original text holds a secret, and so
   * does its backup.
   */
  removedApiKeys?: string[];
  /**
   * The values of those `--api-key` flags: the write keeps a backup that
   * holds them (see `writeConfig`'s `secrets`), for the key is saved nowhere else.
   */
  removedSecrets?: string[];
}
