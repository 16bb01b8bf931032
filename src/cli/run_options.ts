/**
 * The options of `thoth run` ({@linkcode RunOptions}) and their defaults
 * ({@linkcode RUN_DEFAULTS}), a parsed command line ({@linkcode RunArgs}) and
 * the refusal of one whose flags are wrong while a server command follows
 * `--` ({@linkcode RunRefusal}; see `run_flags.ts`). Pure.
 *
 * @example
 * ```ts
 * const options: RunOptions = { ...RUN_DEFAULTS, agentId: "fs" };
 * options.enforcementMode; // "block"
 * ```
 */
import type { AppError } from "../errors.ts";
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import { DEFAULT_GRACE_MS, DEFAULT_MAX_LINE_BYTES } from "../proxy/proxy_defaults.ts";
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "../approval/approval_timeout.ts";

/** The values of `--audit-sync`. */
export const AUDIT_SYNC_CHOICES = ["default", "always"] as const;

/** The options of `thoth run`, after defaults. */
export interface RunOptions {
  agentId?: string | undefined;
  tenantId?: string | undefined;
  enforcementMode: EnforcementMode;
  intent?: string | undefined;
  policy?: string | undefined;
  apiKey?: string | undefined;
  maxLineBytes: number;
  shutdownGraceMs: number;
  auditSync: (typeof AUDIT_SYNC_CHOICES)[number];
  approvalTimeout: number;
  enforcerUrl?: string | undefined;
  /**
   * Set by `parseRunArgs` (in `run_flags.ts`) instead of the other options when the
   * flags before `--` are refused: no server may start, and the client is
   * told why. It travels in the options so that whatever runs a session
   * from a parsed command line honours it.
   */
  refusal?: RunRefusal | undefined;
}

/** A `thoth run` command line refused while a server command follows `--`. */
export interface RunRefusal {
  /** For stderr: the flag, the value given and what to do (exit code 2). */
  error: AppError;
  /** For the client's first request: the flag and what to fix, never the value given. */
  wire: string;
}

/** A parsed `thoth run` command line. */
export interface RunArgs {
  /** The upstream command and its arguments. */
  command: string[];
  options: RunOptions;
}

/** The default of every option that has one. */
export const RUN_DEFAULTS = {
  enforcementMode: "block" as EnforcementMode,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  shutdownGraceMs: DEFAULT_GRACE_MS,
  auditSync: "default" as const,
  approvalTimeout: DEFAULT_APPROVAL_TIMEOUT_MS / 1000,
};
