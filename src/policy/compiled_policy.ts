/**
 * A policy compiled for fast evaluation: globs and regexes built once,
 * argument paths parsed once, disabled rules dropped, defaults filled in.
 * Built by {@linkcode compilePolicy}; read by `evaluate`.
 *
 * @example
 * ```ts
 * const compiled: CompiledPolicy = compilePolicy(parsePolicy(text, "policy.jsonc"));
 * compiled.rules.length;
 * ```
 */
import type { ArgPath } from "./arg_path.ts";
import type { DetectorKind } from "./detectors/finding.ts";
import type { OwnFiles } from "./own_files.ts";
import type { NameMatcher } from "./name_glob.ts";
import type { Policy } from "./policy_schema.ts";
import type { ToolAnnotations } from "./tool_call.ts";
import type { Decision } from "./verdict.ts";

/** What a detector family's findings lead to; `off` skips the scan entirely. */
export type DetectorLevel = "off" | "allow" | "step_up" | "block";

/** One argument predicate, ready to test the values its path selects. */
export interface CompiledPredicate {
  path: ArgPath;
  /** The path as written, for explanations. */
  source: string;
  /**
   * Set on a rule that blocks or steps up whose path has a `*` step: that
   * step also reaches a single value where a list was expected
   * (`{"paths": "/etc/shadow"}` for `paths[*]`), as a lenient server reads
   * it (see `selectArgValues`).
   */
  scalarsAtAny?: true;
  test(values: readonly unknown[]): boolean;
}

/** One enabled rule. */
export interface CompiledRule {
  id: string;
  decision: Decision;
  /** The rule's reason, or "matched (no reason given)" when it gives none. */
  reason: string;
  /** False when the rule gives no reason (`reason` is then the stand-in). */
  reasonGiven: boolean;
  server: readonly NameMatcher[] | undefined;
  tool: readonly NameMatcher[] | undefined;
  listed: boolean | undefined;
  annotations: readonly (readonly [keyof ToolAnnotations, boolean])[];
  args: readonly CompiledPredicate[];
}

/** One session intent: the tools it allows and what a call outside them gets. */
export interface CompiledIntent {
  name: string;
  tools: readonly NameMatcher[];
  onViolation: "step_up" | "block";
  description: string | undefined;
}

/** The progressive ladder's settings. */
export interface ProgressiveSettings {
  windowMs: number;
  window: string;
  stepUpAfter: number;
  blockAfter: number;
}

/** A compiled policy. */
export interface CompiledPolicy {
  source: Policy;
  default: Decision;
  rules: readonly CompiledRule[];
  intents: ReadonlyMap<string, CompiledIntent>;
  detectors: Readonly<Record<DetectorKind, DetectorLevel>>;
  risk: { stepUpAt: number | undefined; blockAt: number | undefined };
  /** Detector families whose level is not `off`. */
  scanKinds: ReadonlySet<DetectorKind>;
  progressive: ProgressiveSettings;
  safeToLog: readonly string[];
  /**
   * thoth's own files, when the compiler was told where they are: a call
   * whose arguments reach them is blocked before anything else is consulted.
   */
  ownFiles: OwnFiles | undefined;
  /**
   * The files that govern thoth outside its profile (`--policy` elsewhere,
   * a linked policy's target), protected the same way (`thoth.own_files`).
   */
  governingFiles?: OwnFiles | undefined;
  /** The MCP clients' config files, protected the same way (`thoth.client_config`). */
  clientConfigs: OwnFiles | undefined;
  /**
   * Their project configs in any folder (`.mcp.json`, `.vscode/mcp.json`…),
   * protected the same way; compiled with `clientConfigs`.
   */
  projectConfigs: OwnFiles | undefined;
  /** Memo of (server, tool) → rules whose server and tool globs match; bounded. */
  candidates: Map<string, readonly CompiledRule[]>;
}
