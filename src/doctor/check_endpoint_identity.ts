/**
 * Doctor check `endpoint_identity`: the endpoint id and the source it came
 * from (managed device id, OS machine id or host name).
 *
 * @example
 * ```ts
 * (await checkEndpointIdentity(context)).message; // 'endpoint "1042" from THOTH_JAMF_COMPUTER_ID'
 * ```
 */
import { resolveEndpointId } from "../identity/endpoint_identity.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

/** Reports which endpoint identity source is in use. */
export async function checkEndpointIdentity(context: DoctorContext): Promise<DoctorCheck> {
  const identity = resolveEndpointId({
    env: context.env,
    machineId: await context.host.readMachineId(),
    hostname: context.host.hostname(),
  });
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
