/**
 * Who and where a `thoth run` session runs, as its `session_start` record
 * carries it: the user, the OS account, the tenant, the endpoint and
 * `THOTH_ENV`. Resolved outside the sandbox and handed to the core as data.
 *
 * @example
 * ```ts
 * const identity = sessionIdentity(Deno.env.toObject(), undefined, await sessionEndpoint(Deno.env.toObject()));
 * ```
 */
import { setThothVariables } from "../identity/quick_thoth_env.ts";
import { uidName } from "../approval/approver_name.ts";
import { type EndpointIdentity, resolveEndpointId } from "../identity/endpoint_identity.ts";
import { MACHINE_ID_READ_MS, type MachineIdRead, readMachineId } from "../platform/machine_id.ts";
import type { SessionIdentity } from "../audit/record.ts";

/**
 * Who and where the session runs, as its `session_start` record carries it:
 * the user (`THOTH_USER_ID`), the OS account thoth runs as (`osUid` and
 * `osUser`, see {@linkcode osAccount}), the tenant (`--tenant-id`, else
 * `THOTH_TENANT_ID`), the endpoint (see {@linkcode sessionEndpoint}) and
 * `THOTH_ENV`, each only when set (an empty variable is unset, as everywhere;
 * "prod", THOTH_ENV's default, is not recorded as if it had been said). For
 * an environment `prepareSession` (`prepare_session.ts`) accepted: its values passed
 * their rules, and are used as they are, as there.
 *
 * @example
 * ```ts
 * sessionIdentity({ THOTH_USER_ID: "ana@example.com" }, undefined, null);
 * // { userId: "ana@example.com", osUser: "ana", osUid: 1000 }
 * ```
 */
export function sessionIdentity(
  env: Readonly<Record<string, string | undefined>>,
  tenantFlag: string | undefined,
  endpoint: EndpointIdentity | null,
  account: OsAccount = osAccount(),
): SessionIdentity {
  const set = setThothVariables(env);
  const tenantId = tenantFlag ?? set.THOTH_TENANT_ID;
  return {
    ...(set.THOTH_USER_ID === undefined ? {} : { userId: set.THOTH_USER_ID }),
    ...(account.osUser === undefined || account.osUser === "" ? {} : { osUser: account.osUser }),
    ...(account.osUid === undefined ? {} : { osUid: account.osUid }),
    ...(tenantId === undefined ? {} : { tenantId }),
    ...(endpoint === null ? {} : { endpointId: endpoint.id, endpointIdSource: endpoint.source }),
    ...(set.THOTH_ENV === undefined ? {} : { environment: set.THOTH_ENV }),
  };
}

/** The OS account a session runs as: its uid, and the name the password file gives it. */
export type OsAccount = Pick<SessionIdentity, "osUser" | "osUid">;

/**
 * The OS account thoth runs as: `osUid`, the uid (absent where there is
 * none: Windows, or a process not allowed to ask), and `osUser`, the name the
 * password file gives that uid, as approvers are named (`uidName`, the name
 * `approverName` gives when the file names the uid). Never the environment's
 * `USER`, `USERNAME` or `LOGNAME`, which anyone can set: where approvers fall
 * back to those (no password file, no entry for the uid), the record carries
 * the uid alone. `uid` and `readPasswd` are injectable for tests.
 *
 * @example
 * ```ts
 * osAccount(1000, () => "ana:x:1000:1000::/home/ana:/bin/sh\n"); // { osUser: "ana", osUid: 1000 }
 * osAccount(54321, () => "ana:x:1000:1000::/home/ana:/bin/sh\n"); // { osUid: 54321 }
 * ```
 */
export function osAccount(
  uid: number | null = currentUid(),
  readPasswd?: () => string,
): OsAccount {
  if (uid === null || !Number.isSafeInteger(uid) || uid < 0) return {};
  let name: string | undefined;
  try {
    name = uidName(uid, readPasswd);
  } catch {
    // No password file, or not allowed to read it: the uid alone names the account.
  }
  return { ...(name === undefined || name === "" ? {} : { osUser: name }), osUid: uid };
}

/** This process's uid; null on Windows or when it cannot be asked. */
function currentUid(): number | null {
  if (Deno.build.os === "windows") return null;
  try {
    return Deno.uid();
  } catch {
    return null;
  }
}

/**
 * This endpoint's id, as `thoth doctor` resolves it: a managed device id
 * from the environment, else the OS machine id's keyed digest (read only
 * then: on macOS and Windows that starts a process, waited for at most
 * {@linkcode ENDPOINT_READ_MS}), else the host name; null when there is
 * none. Never throws.
 */
export async function sessionEndpoint(
  env: Readonly<Record<string, string | undefined>>,
  readId: () => Promise<MachineIdRead | null> = () => readMachineId(Deno.build.os),
  waitMs: number = ENDPOINT_READ_MS,
): Promise<EndpointIdentity | null> {
  const managed = resolveEndpointId({ env, machineId: null, hostname: null });
  if (managed?.source === "managed_device_id") return managed;
  let hostname: string | null = null;
  try {
    hostname = Deno.hostname();
  } catch {
    // Not permitted or not available: the other sources still count.
  }
  // ioreg (macOS) or reg (Windows) that never answers must not hold the client's
  // initialize: after ENDPOINT_READ_MS the host name stands in.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const machineId = await Promise.race([
    readId().catch(() => null),
    new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), waitMs)),
  ]);
  clearTimeout(timer);
  return resolveEndpointId({ env, machineId, hostname });
}

/**
 * How long a session waits for the OS machine id before it records the host
 * name instead: as long as `readMachineId` lets `ioreg` or `reg` run before
 * it kills it.
 */
export const ENDPOINT_READ_MS = MACHINE_ID_READ_MS;
