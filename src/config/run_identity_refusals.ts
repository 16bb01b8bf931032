/**
 * What `thoth run` refuses about who a wrapped entry's server runs as: an
 * agent id or tenant id that looks like a key, a `THOTH_WRAP` record it
 * cannot read, and the THOTH_* values of the entry's `env` with the identity
 * they make up (see `runRefusals` for the rules). Pure.
 *
 * @example
 * ```ts
 * const entry = { flags: [["--tenant-id", "acme"]], flagArgs: [], unknownFlags: [], env: {} };
 * envRefusals(entry).map((r) => r.subject); // ["THOTH_USER_ID"]
 * ```
 */
import { isAppError } from "../errors.ts";
import { validateThothEnv } from "../identity/validate_thoth_env.ts";
import { requireRunIdentity } from "../identity/require_run_identity.ts";
import { hidden, keyAsIdError } from "../identity/shown_env_value.ts";
import { flaggedAsKey } from "../identity/id_flagged_as_key.ts";
import { buildThothEnv } from "../identity/quick_thoth_env.ts";
import { isEnvCredential } from "./env_credentials.ts";
import { agentIdWouldBeKey, deriveAgentId } from "../proxy/derive_agent_id.ts";
import {
  UNREADABLE_WRAP_RECORD_FIX,
  unreadableWrapRecord,
  WRAP_RECORD_KEY,
} from "./wrap_record.ts";
import type { Refusal } from "./run_refusal.ts";
import { lastFlagValue, type RunEntry } from "./run_entry.ts";

/**
 * The agent id and tenant id `thoth run` refuses as keys before a session
 * starts (`prepare_session.ts`: thoth's key detectors flag them, see
 * `flaggedAsKey`): an `--agent-id` or `--tenant-id` value, or the agent id
 * derived from the server command when no `--agent-id` is given. Each value
 * is shown by fingerprint only. A flag value already refused (`done`) is
 * not refused twice.
 */
export function keyShapedIdRefusals(entry: RunEntry, done: readonly Refusal[]): Refusal[] {
  const refusals: Refusal[] = [];
  const refused = (subject: string) => done.some((refusal) => refusal.subject === subject);
  const agentId = lastFlagValue(entry.flags, "--agent-id");
  if (agentId !== undefined && !refused("--agent-id") && flaggedAsKey(agentId)) {
    const error = keyAsIdError(
      "--agent-id",
      agentId,
      'give --agent-id a plain name for the server, such as "gdrive"',
    );
    refusals.push({ subject: "--agent-id", message: error.message, fix: error.hints[0]! });
  }
  const dashes = entry.runArgs?.indexOf("--") ?? -1;
  const upstream = dashes < 0 ? [] : entry.runArgs!.slice(dashes + 1);
  if (agentId === undefined && upstream[0] !== undefined && upstream[0] !== "") {
    const asGiven = agentIdWouldBeKey(upstream[0], upstream.slice(1));
    const derived = deriveAgentId(upstream[0], upstream.slice(1));
    const key = asGiven ?? (flaggedAsKey(derived) ? derived : undefined);
    if (key !== undefined) {
      refusals.push({
        subject: "--agent-id",
        message: "no agent id is given, and the one thoth would derive from the server " +
          `command, ${hidden(key)}, looks like a key or token: thoth names no server by it`,
        fix:
          'name the server with --agent-id before "--", such as "thoth run --agent-id gdrive -- …" ' +
          "(and if the command holds a key, revoke it: it may have been exposed)",
      });
    }
  }
  const tenant = lastFlagValue(entry.flags, "--tenant-id");
  if (tenant !== undefined && !refused("--tenant-id") && flaggedAsKey(tenant)) {
    const error = keyAsIdError(
      "--tenant-id",
      tenant,
      'wrap again with --tenant-id set to your tenant\'s id, a DNS label such as "your-org"',
    );
    refusals.push({ subject: "--tenant-id", message: error.message, fix: error.hints[0]! });
  }
  return refusals;
}

/**
 * The refusal of a `THOTH_WRAP` record in the entry's `env` that `thoth run`
 * cannot read (see `upstreamEnvChanges`), in its words; undefined when there
 * is none or it can be read.
 */
export function wrapRecordRefusal(env: Readonly<Record<string, string>>): Refusal | undefined {
  if (!Object.hasOwn(env, WRAP_RECORD_KEY)) return undefined;
  const error = unreadableWrapRecord(env[WRAP_RECORD_KEY]!);
  if (error === undefined) return undefined;
  return { subject: WRAP_RECORD_KEY, message: error.message, fix: UNREADABLE_WRAP_RECORD_FIX };
}

/** What the `env` block's THOTH_* values and the identity they make up would make thoth run refuse. */
export function envRefusals(entry: RunEntry): Refusal[] {
  const refusals: Refusal[] = [];
  const checked = validateThothEnv(entry.env);
  if (!checked.ok) {
    for (const problem of checked.problems) {
      refusals.push({
        subject: problem.variable,
        message: problem.message,
        fix: isEnvCredential(problem.variable)
          ? credentialFix(problem.variable)
          : `set a valid value with "thoth wrap-config --env ${problem.variable}=<value>", ` +
            `or remove it from the server's "env"`,
      });
    }
  }
  const fromEnv = entry.env["THOTH_TENANT_ID"];
  const tenant = lastFlagValue(entry.flags, "--tenant-id") ??
    (fromEnv === "" ? undefined : fromEnv);
  const user = entry.env["THOTH_USER_ID"];
  // A --tenant-id "" is refused as a flag value already; there is no tenant to need a user.
  if (tenant !== undefined && tenant !== "" && (user === undefined || user === "")) {
    try {
      requireRunIdentity(buildThothEnv({ THOTH_TENANT_ID: tenant }));
    } catch (error) {
      if (!isAppError(error)) throw error;
      const fix = 'set it with "thoth wrap-config --env THOTH_USER_ID=you@company.com"';
      refusals.push(
        user === ""
          ? {
            subject: "THOTH_USER_ID",
            message: `${error.message} (its "env" sets THOTH_USER_ID to "", which counts as unset)`,
            fix,
          }
          : {
            subject: "THOTH_USER_ID",
            message: `${error.message} (its "env" does not set THOTH_USER_ID, so only the ` +
              "client's own environment could, and a GUI client does not get your shell's)",
            fix: `${fix}, which writes it into the server's "env"`,
            clientEnv: true,
          },
      );
    }
  }
  return refusals;
}

/**
 * The fix for a bad credential in an entry's `env`: `wrap-config` writes no
 * credential into a config, so it must not be told to.
 */
function credentialFix(variable: string): string {
  return `remove ${variable} from the server's "env" (a config is no place for a credential, ` +
    "and wrap-config will not write one); save a key with " +
    '"thoth set-api-key --api-key -", or write the token to a file only you may read ' +
    "(chmod 600) and set THOTH_AUTH_TOKEN_FILE to its path";
}
