/**
 * Two tenants for one server: `--tenant-id` in its args (what `thoth run`
 * uses) and another `THOTH_TENANT_ID` in its `env` (what reads the server's
 * environment uses: `thoth health`, `thoth doctor` run with it). Its audit
 * records would name one tenant and its health checks another, in silence.
 * `wrap-config` refuses to write such a pair (`usage.conflicting_tenant`,
 * exit 2, nothing written) and warns about one an entry already had. The
 * same tenant in both places is no conflict. Pure.
 *
 * `THOTH_TENANT_ID` is the only variable with a flag of the same meaning
 * that `wrap-config` writes: `thoth run` reads no variable for
 * `--agent-id`, `--enforcement-mode` or `--intent`.
 *
 * @example
 * ```ts
 * tenantConflict({ flags: [["--tenant-id", "acme"]], flagArgs: [], unknownFlags: [], env: { THOTH_TENANT_ID: "other" } });
 * // { flag: "acme", env: "other" }
 * ```
 */
import { AppError } from "../errors.ts";
import { showValue } from "../identity/shown_env_value.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import type { RunEntry } from "./run_entry.ts";
import type { ServerProblem } from "./server_problem.ts";

/** The two tenants of one entry. */
export interface TenantConflict {
  /** The `--tenant-id` `thoth run` uses (the last one, as it reads a repeated flag). */
  flag: string;
  /** The `THOTH_TENANT_ID` of its `env`. */
  env: string;
}

/** The two tenants of `entry`, or undefined when it has at most one (or the same in both). */
export function tenantConflict(entry: RunEntry): TenantConflict | undefined {
  const flag = entry.flags.findLast(([name]) => name === "--tenant-id")?.[1];
  const env = Object.hasOwn(entry.env, "THOTH_TENANT_ID") ? entry.env["THOTH_TENANT_ID"] : "";
  if (flag === undefined || env === undefined || env === "" || env === flag) return undefined;
  return { flag, env };
}

/** Whether two conflicts are the same pair of tenants. */
export function sameConflict(a: TenantConflict | undefined, b: TenantConflict): boolean {
  return a !== undefined && a.flag === b.flag && a.env === b.env;
}

/** The two tenants as a message names them. */
function both(conflict: TenantConflict): string {
  return `--tenant-id ${showValue(conflict.flag)} in its args, which thoth run uses, and ` +
    `THOTH_TENANT_ID ${showValue(conflict.env)} in its "env", which what reads the server's ` +
    'environment uses ("thoth health", "thoth doctor")';
}

/** A server's warning for the two tenants its entry already had. */
export function conflictingTenantWarning(conflict: TenantConflict): string {
  return `it names two tenants: ${both(conflict)}; keep one: wrap again with --env ` +
    `THOTH_TENANT_ID=${showValue(conflict.flag)} (or --tenant-id ${showValue(conflict.env)}), ` +
    'or remove THOTH_TENANT_ID from its "env" by hand';
}

/** The `--json` problem of a server whose entry keeps two tenants. */
export function conflictingTenantProblem(conflict: TenantConflict): ServerProblem {
  return {
    code: "config.conflicting_tenant",
    severity: "warning",
    message: `two tenants: ${both(conflict)}`,
    remedy: `wrap again with --env THOTH_TENANT_ID=${showValue(conflict.flag)} (or --tenant-id ` +
      `${showValue(conflict.env)}), or remove THOTH_TENANT_ID from its "env" by hand`,
  };
}

/**
 * The usage error for servers the plan would give two tenants (the first
 * named in full, the others by name); `envGiven` when `--env
 * THOTH_TENANT_ID` was given, which says which fix fits.
 */
export function conflictingTenantError(
  servers: readonly { name: string; conflict: TenantConflict }[],
  envGiven: boolean,
): AppError {
  const [first, ...others] = servers;
  if (first === undefined) throw new Error("no conflicting servers");
  const more = others.length === 0
    ? ""
    : ` (and ${others.map((one) => `"${shownUnlessKey(one.name)}"`).join(", ")})`;
  const { flag, env } = first.conflict;
  return new AppError(
    "usage.conflicting_tenant",
    `"${shownUnlessKey(first.name)}"${more} would name two tenants as wrapped: ` +
      both(first.conflict),
    {
      hints: [
        envGiven
          ? `give one tenant: pass --tenant-id ${showValue(env)} to write it as the flag too, ` +
            "or leave --env THOTH_TENANT_ID out"
          : `give one tenant: pass --env THOTH_TENANT_ID=${showValue(flag)} as well, to write ` +
            'the same tenant into its "env", or remove THOTH_TENANT_ID from its "env" by hand',
        "nothing was written",
      ],
    },
  );
}

/**
 * Refuses a run whose tenant (`--tenant-id`, or this shell's
 * `THOTH_TENANT_ID` as its default: `source`) differs from the `--env
 * THOTH_TENANT_ID` it is given: every server would get both.
 */
export function checkTenantEnv(
  tenant: { value: string; source: "--tenant-id" | "THOTH_TENANT_ID" },
  pairs: readonly (readonly [string, string])[],
): void {
  const env = pairs.findLast(([key]) => key === "THOTH_TENANT_ID")?.[1];
  if (env === undefined || env === "" || env === tenant.value) return;
  const named = tenant.source === "--tenant-id"
    ? `--tenant-id ${showValue(tenant.value)}`
    : `THOTH_TENANT_ID ${showValue(tenant.value)} of this shell (the default for --tenant-id)`;
  throw new AppError(
    "usage.conflicting_tenant",
    `${named} and --env THOTH_TENANT_ID=${showValue(env)} name two tenants: every server ` +
      `would get ${showValue(tenant.value)} as --tenant-id, which thoth run uses, and ` +
      `${showValue(env)} in its "env", which what reads the server's environment uses ` +
      '("thoth health", "thoth doctor")',
    {
      hints: [
        `give one tenant: leave --env THOTH_TENANT_ID out (thoth run takes the tenant from ` +
        `--tenant-id), or pass --tenant-id ${showValue(env)}` +
        (tenant.source === "THOTH_TENANT_ID" ? ", or fix THOTH_TENANT_ID in this shell" : ""),
        "nothing was written",
      ],
    },
  );
}

/** What {@linkcode checkTenantConflicts} reads and adds to of a server's report. */
export interface TenantJudgedServer {
  name: string;
  action: string;
  warnings: string[];
  notes?: ServerProblem[];
}

/**
 * Over a plan's servers (`before` and `after`: each entry as `thoth run`
 * reads it, undefined where it is not thoth's): a pair of tenants an entry
 * already had is a warning on it, with its `--json` problem; one the plan
 * would write is `usage.conflicting_tenant` (`envGiven`: `--env
 * THOTH_TENANT_ID` was given).
 */
export function checkTenantConflicts(
  servers: readonly TenantJudgedServer[],
  before: readonly (RunEntry | undefined)[],
  after: readonly (RunEntry | undefined)[],
  envGiven: boolean,
): void {
  const made: { name: string; conflict: TenantConflict }[] = [];
  servers.forEach((server, i) => {
    const entry = after[i];
    if (server.action === "skipped" || entry === undefined) return;
    const conflict = tenantConflict(entry);
    if (conflict === undefined) return;
    const had = before[i] === undefined ? undefined : tenantConflict(before[i]);
    if (!sameConflict(had, conflict)) {
      made.push({ name: server.name, conflict });
      return;
    }
    server.warnings.push(conflictingTenantWarning(conflict));
    (server.notes ??= []).push(conflictingTenantProblem(conflict));
  });
  if (made.length > 0) throw conflictingTenantError(made, envGiven);
}
