/**
 * The fields of a session's identity (the user, the OS account, tenant,
 * endpoint and environment) that hold a value, for its `session_start`
 * record: each only when known, so a session without them writes the record
 * as earlier releases did.
 *
 * @example
 * ```ts
 * knownIdentity({ userId: "ana@example.com", osUser: "" }); // { userId: "ana@example.com" }
 * ```
 */
import type { SessionIdentity } from "../audit/record.ts";

/** The fields of `identity` that hold a value, in a fixed order. */
export function knownIdentity(identity: SessionIdentity): SessionIdentity {
  const known: SessionIdentity = {};
  const { userId, osUser, osUid, tenantId, endpointId, endpointIdSource, environment } = identity;
  if (typeof userId === "string" && userId !== "") known.userId = userId;
  if (typeof osUser === "string" && osUser !== "") known.osUser = osUser;
  if (typeof osUid === "number" && Number.isSafeInteger(osUid) && osUid >= 0) known.osUid = osUid;
  if (typeof tenantId === "string" && tenantId !== "") known.tenantId = tenantId;
  if (typeof endpointId === "string" && endpointId !== "") {
    known.endpointId = endpointId;
    if (typeof endpointIdSource === "string") known.endpointIdSource = endpointIdSource;
  }
  if (typeof environment === "string" && environment !== "") known.environment = environment;
  return known;
}
