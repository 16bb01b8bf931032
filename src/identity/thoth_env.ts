/**
 * Reads thoth's environment once, validated: the settings, or an
 * {@linkcode AppError} (`identity.invalid_env`) that names each bad variable,
 * its value (a secret only by fingerprint) and the rule. Deprecation warnings
 * come back as data for the CLI to print.
 *
 * @example
 * ```ts
 * const { env, warnings } = parseThothEnv({ THOTH_TENANT_ID: "acme", THOTH_ENV: "" });
 * env.environment; // "prod"
 * warnings; // []
 * ```
 */
import { AppError } from "../errors.ts";
import { type ThothEnv, validateThothEnv } from "./validate_thoth_env.ts";

/** The validated settings and any warnings to show once. */
export interface ParsedThothEnv {
  readonly env: ThothEnv;
  readonly warnings: readonly string[];
}

/** Validates the snapshot (paths as absolute on `os`) or throws `identity.invalid_env`. */
export function parseThothEnv(
  snapshot: Readonly<Record<string, string | undefined>>,
  os: string = Deno.build.os,
): ParsedThothEnv {
  const result = validateThothEnv(snapshot, os);
  if (result.ok) return { env: result.env, warnings: result.warnings };
  const [first, ...rest] = result.problems;
  const message = rest.length === 0
    ? first?.message ?? "invalid environment"
    : `invalid environment: ${result.problems.map((p) => p.message).join("; ")}`;
  throw new AppError("identity.invalid_env", message, {
    hints: [
      'fix or unset the variable in your shell, or in the "env" block of the MCP client\'s config',
      'run "thoth doctor" to check the whole profile',
    ],
  });
}
