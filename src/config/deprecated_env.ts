/**
 * `THOTH_ENFORCER_URL`, the variable `thoth run` no longer reads (the
 * enforcer URL is derived from `THOTH_TENANT_ID` and `THOTH_APEX_DOMAIN`),
 * as the config commands treat it. Pure.
 *
 * - `wrap-config --env THOTH_ENFORCER_URL=…` writes nothing: the plan drops
 *   the pair and says so ({@linkcode deprecatedEnvNotWritten}), and each
 *   server it handles carries {@linkcode deprecatedEnvProblem} in `--json`.
 * - One an earlier `wrap-config --env` added (the `THOTH_WRAP` record names
 *   it in `added=`) is taken out of the entry's `env` again, and an original
 *   value such an `--env` replaced (`was.THOTH_ENFORCER_URL`) is given back:
 *   that is all `unwrap-config` would do with them.
 * - One the entry has of its own is the user's: it is kept, with a warning
 *   that says to remove it by hand ({@linkcode deprecatedEnvKept}). `thoth
 *   run` ignores it and gives it to no server (see `upstream_env.ts`).
 * - `thoth status` shows either as drift ({@linkcode deprecatedEnvDrift}),
 *   as it shows an `--enforcer-url` in the args ("older flag set").
 *
 * @example
 * ```ts
 * deprecatedEnvDrift({ THOTH_ENFORCER_URL: "https://e.example.com" }, false, "thoth wrap-config");
 * // ['older setting: THOTH_ENFORCER_URL in "env", deprecated and ignored (…); remove it from "env" by hand']
 * ```
 */
import type { ServerProblem } from "./server_problem.ts";

/** The variable. */
export const DEPRECATED_ENV = "THOTH_ENFORCER_URL";

/** Why it changes nothing. */
const IGNORED = "deprecated and ignored (thoth run derives the enforcer URL from " +
  "THOTH_TENANT_ID and THOTH_APEX_DOMAIN)";

/** The plan's warning for an `--env THOTH_ENFORCER_URL=…` it did not write. */
export function deprecatedEnvNotWritten(): string {
  return `--env ${DEPRECATED_ENV} was not written into any server's "env": it is ${IGNORED}; ` +
    `leave --env ${DEPRECATED_ENV} out`;
}

/** The reason said of an entry whose `THOTH_ENFORCER_URL` an earlier `--env` added. */
export function deprecatedEnvRemoved(): string {
  return `env ${DEPRECATED_ENV} removed: an earlier --env added it, and it is ${IGNORED}`;
}

/** The reason said of an entry whose own `THOTH_ENFORCER_URL` an earlier `--env` replaced. */
export function deprecatedEnvGivenBack(): string {
  return `env ${DEPRECATED_ENV} given back the value it had before an earlier --env replaced ` +
    `it: that one is ${IGNORED}`;
}

/** A server's warning for the `THOTH_ENFORCER_URL` of its own that its `env` keeps. */
export function deprecatedEnvKept(): string {
  return `"env" sets ${DEPRECATED_ENV}, which is ${IGNORED}, and thoth run does not pass ` +
    `it on to the server: remove it from "env" by hand`;
}

/**
 * Whether an entry's `env` (as `thoth run` reads it) keeps a
 * `THOTH_ENFORCER_URL` worth a word: a non-empty one (an empty one is unset,
 * and `thoth run` says nothing of it).
 */
export function keepsDeprecatedEnv(env: Readonly<Record<string, string>>): boolean {
  return Object.hasOwn(env, DEPRECATED_ENV) && env[DEPRECATED_ENV] !== "";
}

/**
 * `thoth status`'s drift for an entry whose `env` holds `THOTH_ENFORCER_URL`:
 * one that `wrap-config` added (`added`, any value) goes with `wrapCommand`;
 * one of the entry's own (not empty) is removed by hand. Nothing else.
 */
export function deprecatedEnvDrift(
  env: Readonly<Record<string, string>>,
  added: boolean,
  wrapCommand: string,
): string[] {
  if (!Object.hasOwn(env, DEPRECATED_ENV)) return [];
  if (!added && !keepsDeprecatedEnv(env)) return [];
  const fix = added ? `run ${wrapCommand} to remove it` : 'remove it from "env" by hand';
  return [`older setting: ${DEPRECATED_ENV} in "env", ${IGNORED}; ${fix}`];
}

/**
 * Over a plan's servers (`after`: each entry as `thoth run` reads it once
 * written, undefined where it is not thoth's): each server written behind
 * thoth gets the `--json` problem of an `--env THOTH_ENFORCER_URL` not
 * written (`given`), and the warning and problem of one its `env` keeps of
 * its own.
 */
export function noteDeprecatedEnv(
  servers: readonly { action: string; warnings: string[]; notes?: ServerProblem[] }[],
  after: readonly ({ env: Readonly<Record<string, string>> } | undefined)[],
  given: boolean,
): void {
  servers.forEach((server, i) => {
    const entry = after[i];
    if (server.action === "skipped" || entry === undefined) return;
    if (given) (server.notes ??= []).push(deprecatedEnvProblem(true));
    if (!keepsDeprecatedEnv(entry.env)) return;
    server.warnings.push(deprecatedEnvKept());
    (server.notes ??= []).push(deprecatedEnvProblem(false));
  });
}

/**
 * The `--json` problem of a server wrap-config handled: `given` for an
 * `--env THOTH_ENFORCER_URL` it did not write, else for one the entry's
 * `env` keeps of its own.
 */
export function deprecatedEnvProblem(given: boolean): ServerProblem {
  return given
    ? {
      code: "config.deprecated_setting",
      severity: "warning",
      message: `--env ${DEPRECATED_ENV} was not written: it is ${IGNORED}`,
      remedy: `leave --env ${DEPRECATED_ENV} out`,
    }
    : {
      code: "config.deprecated_setting",
      severity: "warning",
      message: `"env" sets ${DEPRECATED_ENV}, which is ${IGNORED}`,
      remedy: `remove ${DEPRECATED_ENV} from the server's "env" by hand`,
    };
}
