/**
 * The one error type thoth raises on purpose. Every failure a person can fix
 * carries a typed code, a message that names the value that failed, and hints
 * that say what to do. Only `src/cli/` prints these and exits.
 *
 * @example
 * ```ts
 * throw new AppError("usage.bad_flag", 'unknown enforcement mode "strict"', {
 *   hints: ['use one of "observe", "step_up", "progressive", "block"'],
 *   exitCode: 2,
 * });
 * ```
 */

/** Every code an {@linkcode AppError} may carry, grouped by area. */
export type ErrorCode =
  | "usage.bad_flag"
  | "usage.missing_command"
  | "usage.bad_argument"
  | "upstream.not_found"
  | "upstream.not_executable"
  | "upstream.spawn_failed"
  | "upstream.exited"
  | "protocol.line_too_long"
  | "protocol.not_json"
  | "policy.unreadable"
  | "policy.invalid"
  | "policy.unknown_intent"
  | "intent_map.invalid"
  | "enforcer.failed"
  | "audit.unwritable"
  | "audit.invalid"
  | "config.unreadable"
  | "config.invalid"
  | "config.changed_on_disk"
  | "config.unwritable"
  | "identity.invalid_env"
  | "identity.no_credentials"
  | "approval.failed"
  | "release.failed"
  | "io.failed"
  | "internal";

/** Options for {@linkcode AppError}. */
export interface AppErrorOptions {
  /** Lines a person can act on, each printed as `thoth: hint: …`. */
  hints?: readonly string[];
  /** Process exit code when this error ends the CLI: 2 for usage, 1 otherwise. */
  exitCode?: number;
  /** The lower-level error this one explains. */
  cause?: unknown;
}

/** A failure with a typed code, a specific message and remedies. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hints: readonly string[];
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.hints = options.hints ?? [];
    this.exitCode = options.exitCode ?? (code.startsWith("usage.") ? 2 : 1);
  }
}

/** Narrows an unknown value to an {@linkcode AppError} with the given code. */
export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code);
}
