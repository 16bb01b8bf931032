/**
 * The findings of the permission check: what kind of problem each is, where
 * it is, and what to do about it. Types only.
 *
 * @example
 * ```ts
 * const finding: Finding = {
 *   code: "allow_all",
 *   where: 'task "test"',
 *   message: "grants every permission (-A/--allow-all); name a manifest set with -P=<set>",
 * };
 * ```
 */

/** What kind of problem a finding is. */
export type FindingCode =
  | "allow_all"
  | "broader_than_set"
  | "unknown_set"
  | "ungoverned_grant"
  | "unknown_flag"
  | "inline_permissions"
  | "missing_set"
  | "compile_mismatch"
  | "no_manifest"
  | "unreadable_task"
  | "unlisted_command"
  | "unknown_task"
  | "protected_path"
  | "outside_project"
  | "config_override"
  | "deno_env"
  | "nested_config"
  | "package_scripts"
  | "npm_commands"
  | "above_ceiling"
  | "no_prompt"
  | "debugger"
  | "foreign_code"
  | "weakened_tls"
  | "runtime_flag"
  | "rewrites_files"
  | "wrong_set"
  | "remote_modules"
  | "not_canonical";

/** One problem, with where it is. */
export interface Finding {
  readonly code: FindingCode;
  /** `task "test"`, `compile thoth-linux-arm64`, `deno.json "test.permissions"`, `"sub/deno.json"`. */
  readonly where: string;
  /** What is wrong and, after a semicolon, what to do about it. */
  readonly message: string;
}
