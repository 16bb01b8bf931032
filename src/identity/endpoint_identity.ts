/**
 * Which endpoint this is, in the product's order: a managed device id set by
 * the MDM (`THOTH_INTUNE_DEVICE_ID`, `INTUNE_DEVICE_ID`,
 * `THOTH_JAMF_COMPUTER_ID`, `JAMF_COMPUTER_ID`), then the OS machine identity,
 * then the host name (`HOSTNAME`, then the system's host name). Pure: the
 * sources are read by the caller and passed in.
 *
 * The OS machine identity is not used raw: systemd documents
 * `/etc/machine-id` as confidential, so thoth sends a keyed hash of it
 * (HMAC-SHA256 with a fixed, thoth-specific key, first 32 hex digits),
 * prefixed `mid-`, computed with the project's own HMAC (`src/audit/sha256.ts`)
 * so that `thoth run`, which records it, loads no `node:` built-in. The same
 * machine always gets the same id; the raw id never leaves it. Managed ids and
 * host names are used as they are.
 *
 * @example
 * ```ts
 * resolveEndpointId({
 *   env: { THOTH_JAMF_COMPUTER_ID: "1042" },
 *   machineId: { value: "4c4c4544…", origin: "/etc/machine-id" },
 *   hostname: "ana-laptop",
 * }); // { id: "1042", source: "managed_device_id", origin: "THOTH_JAMF_COMPUTER_ID" }
 * ```
 */
import { hmacSha256 } from "../audit/sha256.ts";
import { toHex } from "../audit/encoding.ts";
import { IDENTIFIER } from "./_env_rules.ts";

/** Where an endpoint id came from. */
export type EndpointIdSource = "managed_device_id" | "os_machine_id" | "hostname";

/** The endpoint id and the source that produced it. */
export interface EndpointIdentity {
  readonly id: string;
  readonly source: EndpointIdSource;
  /** The variable, file or registry value the id came from, e.g. `THOTH_INTUNE_DEVICE_ID`. */
  readonly origin: string;
}

/** An OS machine identity as read from the OS. */
export interface MachineIdReading {
  readonly value: string;
  /** `/etc/machine-id`, `IOPlatformUUID`, `MachineGuid`, … */
  readonly origin: string;
}

/** The inputs to {@linkcode resolveEndpointId}. */
export interface EndpointIdSources {
  /** An environment snapshot (only the managed-id variables and `HOSTNAME` are read). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The OS machine identity, or null when there is none. */
  readonly machineId: MachineIdReading | null;
  /** The system host name, or null when it cannot be read. */
  readonly hostname: string | null;
}

/** The managed-id variables, most preferred first. */
export const MANAGED_ID_VARIABLES = [
  "THOTH_INTUNE_DEVICE_ID",
  "INTUNE_DEVICE_ID",
  "THOTH_JAMF_COMPUTER_ID",
  "JAMF_COMPUTER_ID",
] as const;

/** The HMAC key of the machine id's digest (UTF-8 of a fixed, thoth-specific text). */
const MACHINE_ID_KEY = new TextEncoder().encode("thoth endpoint id v1");

/** Resolves the endpoint id, or null when no source has one. */
export function resolveEndpointId(sources: EndpointIdSources): EndpointIdentity | null {
  for (const variable of MANAGED_ID_VARIABLES) {
    const value = sources.env[variable]?.trim();
    if (value !== undefined && IDENTIFIER.test(value)) {
      return { id: value, source: "managed_device_id", origin: variable };
    }
  }
  const machine = sources.machineId?.value.trim().toLowerCase();
  if (sources.machineId !== null && machine !== undefined && machine !== "") {
    // The project's own HMAC-SHA256, not node:crypto's: `thoth run` resolves this id, and
    // the first node: import would start Deno's Node compatibility layer for the session.
    const digest = toHex(hmacSha256(MACHINE_ID_KEY, new TextEncoder().encode(machine)));
    return {
      id: `mid-${digest.slice(0, 32)}`,
      source: "os_machine_id",
      origin: sources.machineId.origin,
    };
  }
  const envHost = sources.env["HOSTNAME"]?.trim();
  if (envHost !== undefined && envHost !== "") {
    return { id: envHost, source: "hostname", origin: "HOSTNAME" };
  }
  const host = sources.hostname?.trim();
  if (host !== undefined && host !== "") {
    return { id: host, source: "hostname", origin: "hostname" };
  }
  return null;
}
