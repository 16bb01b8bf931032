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
 * host names are used as they are, never trimmed: a managed id must be a valid
 * id (the rule `thoth run` checks the environment by; one that is not stops
 * the resolution, see {@linkcode judgeEndpointId}), and a host name must be
 * one (no control character or space, at most 253 characters) and no key, or
 * the next source is used.
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
import { prefixedRandomKey } from "./shown_env_value.ts";

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

/**
 * A host name as an endpoint id may be one: letters, digits, `-` and `_` in
 * dot-separated labels of up to 63 characters, starting and ending with a
 * letter or digit, 253 characters in all (a DNS name's bounds). No control
 * character, space or escape sequence reaches the audit log through it.
 */
const HOST_NAME =
  /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Whether `value` may stand as the endpoint id: a host name (see `HOST_NAME`)
 * without a key's issuer prefix and random body (`prefixedRandomKey`, the
 * test that loads no detector, so that `thoth run` and `thoth health` judge a
 * host name alike).
 */
export function isEndpointHostName(value: string): boolean {
  return value.length <= 253 && HOST_NAME.test(value) && !prefixedRandomKey(value);
}

/** Whether a value is a key pasted where an id belongs. */
export type KeyTest = (value: string) => boolean;

/** A managed-id variable that is set but breaks the rule an id must obey. */
export interface InvalidManagedId {
  readonly invalid: ManagedIdVariable;
}

/** One of {@linkcode MANAGED_ID_VARIABLES}. */
export type ManagedIdVariable = (typeof MANAGED_ID_VARIABLES)[number];

/**
 * The endpoint id as {@linkcode resolveEndpointId} finds it, or the
 * managed-id variable that stops it: the first one set (an empty value is
 * unset) decides, and when it is not a valid id (`IDENTIFIER`, and not a key
 * by `isKey`) the answer is that variable, never the next source. Values are
 * taken as they are, as thoth's environment rules take them: none is trimmed.
 * A `HOSTNAME` (or system host name) that is not a host name, or is a key, is
 * passed over for the next source (see {@linkcode isEndpointHostName}).
 * `isKey`, the key test of managed ids (default: the key prefixes, loading no
 * detector), is `flaggedAsKey` for `thoth doctor` and `health`: the test
 * `thoth run` validated its environment with.
 */
export function judgeEndpointId(
  sources: EndpointIdSources,
  isKey: KeyTest = prefixedRandomKey,
): EndpointIdentity | InvalidManagedId | null {
  for (const variable of MANAGED_ID_VARIABLES) {
    const value = sources.env[variable];
    if (value === undefined || value === "") continue;
    if (!IDENTIFIER.test(value) || isKey(value)) return { invalid: variable };
    return { id: value, source: "managed_device_id", origin: variable };
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
  const envHost = sources.env["HOSTNAME"];
  if (envHost !== undefined && isEndpointHostName(envHost)) {
    return { id: envHost, source: "hostname", origin: "HOSTNAME" };
  }
  const host = sources.hostname;
  if (host !== null && isEndpointHostName(host)) {
    return { id: host, source: "hostname", origin: "hostname" };
  }
  return null;
}

/**
 * Resolves the endpoint id, or null when no source has one, or when the
 * managed-id variable that decides is not a valid id (see
 * {@linkcode judgeEndpointId}: `thoth run` refuses such an environment).
 */
export function resolveEndpointId(sources: EndpointIdSources): EndpointIdentity | null {
  const judged = judgeEndpointId(sources);
  return judged === null || "invalid" in judged ? null : judged;
}
