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

/** The areas an error code belongs to; the part after the dot names the failure. */
export type ErrorArea =
  | "usage"
  | "upstream"
  | "protocol"
  | "policy"
  | "intent_map"
  | "enforcer"
  | "approval"
  | "audit"
  | "config"
  | "identity"
  | "credentials"
  | "fleet"
  | "doctor"
  | "release"
  | "build"
  | "io"
  | "internal";

/**
 * Every code an {@linkcode AppError} may carry: `area.failure`, for example
 * `"policy.invalid"` or `"upstream.not_found"`.
 */
export type ErrorCode = `${ErrorArea}.${string}`;

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
