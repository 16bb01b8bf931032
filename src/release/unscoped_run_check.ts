/**
 * Reports every permission set that grants `run` without scope. Deno's
 * documentation says an unscoped `--allow-run` is allow-all-equivalent (a
 * program started with it runs outside the sandbox, with every permission),
 * so the check that fires only when all seven kinds are unscoped misses it.
 * A set named in `UNSCOPED_RUN_ALLOWED` (`permission_ceiling.ts`), with the
 * reason it needs it, gets a note; any other set a finding. A set with
 * `"all": true` is reported elsewhere. Pure.
 *
 * @example
 * ```ts
 * const { findings, notes } = checkUnscopedRun({ thoth: { run: true }, tool: { run: true } });
 * findings.map((f) => f.where); // ['permission set "tool"']
 * notes.map((f) => f.where); // ['permission set "thoth"']
 * ```
 */
import { grantOfSet } from "./permission_grants.ts";
import type { Finding } from "./permission_finding.ts";
import { UNSCOPED_RUN_ALLOWED } from "./permission_ceiling.ts";

/** What {@linkcode checkUnscopedRun} reports: errors, and notes that do not fail the check. */
export interface UnscopedRunReport {
  readonly findings: Finding[];
  readonly notes: Finding[];
}

/**
 * One finding per set granting `run` unscoped that `allowed` does not name,
 * one note per set it does.
 *
 * @example
 * ```ts
 * checkUnscopedRun({ build: { run: ["git"] } }); // { findings: [], notes: [] }
 * ```
 */
export function checkUnscopedRun(
  sets: Readonly<Record<string, unknown>>,
  allowed: Readonly<Record<string, string>> = UNSCOPED_RUN_ALLOWED,
): UnscopedRunReport {
  const findings: Finding[] = [];
  const notes: Finding[] = [];
  for (const [name, set] of Object.entries(sets)) {
    const grant = grantOfSet(set);
    if (grant["allow-all"] === true || grant["allow-run"] !== true) continue;
    if (grant["deny-run"] === true) continue;
    const where = `permission set "${name}"`;
    const said = "grants run without scope, which is allow-all-equivalent (a program it " +
      "starts runs outside Deno's sandbox, with every permission)";
    const reason = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (reason !== undefined) {
      notes.push({
        code: "allow_all",
        where,
        message: `${said}; allowed by UNSCOPED_RUN_ALLOWED in ` +
          `src/release/permission_ceiling.ts: ${reason}`,
      });
      continue;
    }
    findings.push({
      code: "allow_all",
      where,
      message: `${said}; list the programs it runs ("run": ["git", …]), or, if it must run ` +
        "any program, name it with the reason in UNSCOPED_RUN_ALLOWED " +
        "(src/release/permission_ceiling.ts) in the same commit, where a reviewer sees it",
    });
  }
  return { findings, notes };
}
