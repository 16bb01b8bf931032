/**
 * Doctor check `endpoint_identity`: the endpoint id `thoth run` would record
 * and the source it came from (managed device id, OS machine id or host
 * name), resolved as `thoth run` resolves it (see `reportedEndpointId`). A
 * managed-id variable that is set but not a valid id fails the check, named
 * with its problem (a key by fingerprint only): `thoth run` refuses to start
 * with it, and the next source is not used in its place.
 *
 * @example
 * ```ts
 * (await checkEndpointIdentity(context)).message; // 'endpoint "1042" from THOTH_JAMF_COMPUTER_ID'
 * ```
 */
import { reportedEndpointId } from "../identity/reported_endpoint_id.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

/** Reports which endpoint identity source is in use. */
export async function checkEndpointIdentity(context: DoctorContext): Promise<DoctorCheck> {
  const { identity, problem } = reportedEndpointId({
    env: context.env,
    machineId: await context.host.readMachineId(),
    hostname: context.host.hostname(),
  }, context.os);
  if (problem !== null) {
    return {
      id: "endpoint_identity",
      status: "fail",
      // The rule it breaks is the environment check's to say; here, what it does to the id.
      message: `no endpoint identity: ${problem.variable} ${problem.shownValue} is not a valid ` +
        "id (see the environment check), so thoth run refuses to start, and uses no other " +
        "source in its place",
      hint: `set ${problem.variable} to the device id from your MDM, or unset it`,
    };
  }
  if (identity === null) {
    return {
      id: "endpoint_identity",
      status: "warn",
      message: "no endpoint identity: no managed device id, OS machine id or host name",
      hint: "set THOTH_INTUNE_DEVICE_ID or THOTH_JAMF_COMPUTER_ID from your MDM",
    };
  }
  const kind = {
    managed_device_id: "managed device id",
    os_machine_id: "OS machine id, hashed",
    hostname: "host name fallback",
  }[identity.source];
  const hostnameHint = identity.source === "hostname"
    ? "host names change and collide; set THOTH_INTUNE_DEVICE_ID or THOTH_JAMF_COMPUTER_ID from your MDM"
    : null;
  return {
    id: "endpoint_identity",
    status: identity.source === "hostname" ? "warn" : "pass",
    message: `endpoint "${identity.id}" from ${identity.origin} (${kind})`,
    hint: hostnameHint,
  };
}
