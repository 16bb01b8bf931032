/**
 * The checks of `thoth run`'s ids: `--agent-id` ({@linkcode checkAgentId})
 * and `--tenant-id` ({@linkcode checkTenantId}). Each returns the value, or
 * throws a usage error that shows it by fingerprint when it looks like a key
 * or token. Pure.
 *
 * @example
 * ```ts
 * checkAgentId("gdrive"); // "gdrive"
 * checkTenantId("Acme"); // throws usage.bad_flag: not a DNS label
 * ```
 */
import { AppError } from "../errors.ts";
import { keyAsIdError, prefixedRandomKey, showName } from "../identity/shown_env_value.ts";

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * `--agent-id`: letters, digits, dot, dash, underscore; not a key or token:
 * the agent id is shown, and written into the audit log for good. A key's
 * issuer prefix, in the issuer's case, with a random key body right after it
 * (`sk_live_…`; not `sk-telecom`) is refused here; the rest of the
 * test `THOTH_FLEET_ID` passes (`id_flagged_as_key.ts`: the key detectors,
 * which `thoth run`'s main thread loads only when it must) is applied when
 * the session is prepared (`prepare_session.ts`), before anything is recorded.
 */
export function checkAgentId(value: string): string {
  if (!AGENT_ID.test(value)) {
    throw new AppError(
      "usage.bad_flag",
      `--agent-id: ${showName(value)} is not a valid agent id`,
      {
        hints: ["use letters, digits, dot, dash or underscore, starting with a letter or digit"],
      },
    );
  }
  if (prefixedRandomKey(value)) {
    throw keyAsIdError(
      "--agent-id",
      value,
      'give --agent-id a plain name for the server, such as "gdrive"',
    );
  }
  return value;
}

/**
 * `--tenant-id`: a DNS label; not a key or token: the tenant id is shown,
 * resolved in DNS and written into the audit log for good. Judged as
 * `--agent-id` is (see {@linkcode checkAgentId}), by the test
 * `THOTH_TENANT_ID` and `THOTH_FLEET_ID` pass.
 */
export function checkTenantId(value: string): string {
  if (!DNS_LABEL.test(value)) {
    throw new AppError(
      "usage.bad_flag",
      `--tenant-id: ${showName(value)} is not a DNS label`,
      {
        hints: ['use lowercase letters, digits and dashes, for example "your-org"'],
      },
    );
  }
  if (prefixedRandomKey(value)) {
    throw keyAsIdError(
      "--tenant-id",
      value,
      'give --tenant-id your tenant\'s id, a DNS label such as "your-org", or leave it out ' +
        "to use THOTH_TENANT_ID",
    );
  }
  return value;
}
