/**
 * Why one server of a config is not governed as `wrap-config` would have it,
 * or not restored by `unwrap-config`, as data: a typed code, how much it
 * matters, what is wrong and what to do. `--json` lists them per server, so
 * a fleet script can act on each without reading the human lines. Pure.
 *
 * `severity` says what the command made of it: `error` counts towards its
 * exit 1 (a server left without thoth, one `thoth run` will refuse to start,
 * one not restored); `warning` does not fail the command but needs a look
 * (one `thoth run` will refuse to start unless the client's own environment
 * supplies what its `env` lacks); `note` is a server left alone by design (a
 * remote one).
 *
 * @example
 * ```ts
 * const problem = unwrappableProblem({
 *   reason: '"args" item 3 is not a string (8080)',
 *   fix: 'write it as a string ("8080")',
 * });
 * problem.code; // "config.unwrappable_entry"
 * problem.remedy; // 'write it as a string ("8080"), then run wrap-config again'
 * ```
 */

/** The codes of a server's problem; stable: `--json` prints them. */
export type ServerProblemCode =
  /** A remote server (`url`, an http/sse `type`): thoth governs stdio servers only. */
  | "config.remote_server"
  /** An entry with no command to start: the client cannot start it either. */
  | "config.invalid_entry"
  /** A local command thoth cannot rewrite as written: it runs without thoth. */
  | "config.unwrappable_entry"
  /** An entry that names thoth in a shape thoth does not understand. */
  | "config.malformed_entry"
  /** A thoth entry with a flag `thoth run` refuses where it stands. */
  | "config.run_flag_refused"
  /** An entry that runs without thoth but carries a `THOTH_WRAP` env key. */
  | "config.stray_wrap_record"
  /** A `THOTH_WRAP` record that cannot be read. */
  | "config.bad_wrap_record"
  /**
   * Written behind thoth, but `thoth run` will refuse to start it: an error, or
   * a warning when only the client's own environment could supply what it lacks.
   */
  | "config.will_not_start"
  /** With `--thoth-path-elsewhere`: only this machine's profile makes `thoth run` refuse it. */
  | "config.profile_will_not_start"
  /** A setting thoth no longer reads (`THOTH_ENFORCER_URL`): not written, or kept by hand. */
  | "config.deprecated_setting"
  /** Two tenants, `--tenant-id` in the args and another `THOTH_TENANT_ID` in the `env`, kept. */
  | "config.conflicting_tenant";

/** How much a problem matters (see the module doc). */
export type ServerProblemSeverity = "error" | "warning" | "note";

/** One problem of one server. */
export interface ServerProblem {
  code: ServerProblemCode;
  severity: ServerProblemSeverity;
  /** What is wrong, naming the value. */
  message: string;
  /** What to do about it; null when nothing needs doing. */
  remedy: string | null;
}

/** Said after what to fix in a server wrap-config left without thoth. */
const WRAP_AGAIN = "then run wrap-config again";

/** A remote server, left alone: `reason` as the entry's classification words it. */
export function remoteProblem(reason: string): ServerProblem {
  return { code: "config.remote_server", severity: "note", message: reason, remedy: null };
}

/** An entry with no command to start, as its classification words it. */
export function invalidEntryProblem(reason: string): ServerProblem {
  return {
    code: "config.invalid_entry",
    severity: "warning",
    message: reason,
    remedy: 'give the entry a "command" string (a local server) or a "url" (a remote one), ' +
      "or remove it",
  };
}

/** A local command wrap-config cannot rewrite: what it cannot rewrite, and the fix. */
export function unwrappableProblem(kind: { reason: string; fix: string }): ServerProblem {
  return {
    code: "config.unwrappable_entry",
    severity: "error",
    message: kind.reason,
    remedy: `${kind.fix}, ${WRAP_AGAIN}`,
  };
}

/** A thoth entry wrap-config skips (`code` says why) with `message`; `fix` when known. */
export function skippedEntryProblem(
  code:
    | "config.malformed_entry"
    | "config.run_flag_refused"
    | "config.stray_wrap_record"
    | "config.bad_wrap_record",
  message: string,
  fix = "fix the entry by hand",
): ServerProblem {
  return { code, severity: "error", message, remedy: `${fix}, ${WRAP_AGAIN}` };
}

/**
 * An entry unwrap-config leaves as it is: `code` is the error's (or
 * `config.unwrappable_entry` for an entry that names thoth with a value
 * that is not a string), `message` the line's reason.
 */
export function notRestoredProblem(code: string, message: string): ServerProblem {
  return {
    code: isServerProblemCode(code) ? code : "config.malformed_entry",
    severity: "error",
    message,
    remedy: "restore the entry by hand (or from the .thoth-backup file beside the config)",
  };
}

/**
 * A refusal of `thoth run`'s for a server written behind thoth: an error, or
 * with `profile` a warning (only this machine's profile refuses it, with
 * `--thoth-path-elsewhere`).
 */
export function runRefusalProblem(
  refusal: { message: string; fix: string },
  profile: boolean,
): ServerProblem {
  return {
    code: profile ? "config.profile_will_not_start" : "config.will_not_start",
    severity: profile ? "warning" : "error",
    message: `thoth run will refuse to start it: ${refusal.message}`,
    remedy: refusal.fix,
  };
}

/**
 * A refusal of `thoth run`'s that only the client's own environment could
 * lift (`Refusal.clientEnv`: a tenant's `THOTH_USER_ID` the server's `env`
 * does not set), for a server written behind thoth: a warning, since no
 * check can see that environment (a GUI client does not get the shell's).
 */
export function clientEnvRefusalProblem(
  refusal: { subject: string; message: string; fix: string },
): ServerProblem {
  return {
    code: "config.will_not_start",
    severity: "warning",
    message: `thoth run will refuse to start it unless the client's own environment sets ` +
      `${refusal.subject}: ${refusal.message}`,
    remedy: refusal.fix,
  };
}

const CODES: ReadonlySet<string> = new Set<ServerProblemCode>([
  "config.remote_server",
  "config.invalid_entry",
  "config.unwrappable_entry",
  "config.malformed_entry",
  "config.run_flag_refused",
  "config.stray_wrap_record",
  "config.bad_wrap_record",
  "config.will_not_start",
  "config.profile_will_not_start",
  "config.deprecated_setting",
  "config.conflicting_tenant",
]);

function isServerProblemCode(code: string): code is ServerProblemCode {
  return CODES.has(code);
}
