/**
 * The environment a governed server gets: the one it would have had without
 * thoth, less thoth's own credentials. Pure: returns the changes for the
 * shell to apply before the server starts (it inherits thoth's environment).
 *
 * - The keys `wrap-config` added for thoth (`added=` of the `THOTH_WRAP`
 *   record, see `wrap_record.ts`) are removed, the values it overwrote
 *   (`was.K`) are restored, and the record itself goes.
 * - thoth's credentials are always removed, however they got into thoth's
 *   environment (the client's config, the shell, an MDM profile): the API
 *   key, the bearer tokens, and the `…_FILE` variables that name where one
 *   is kept (see {@linkcode isCredentialVariable}). A server is not trusted with
 *   them: whatever it can read, it can hand to the model it serves or to
 *   anyone who asks it (server-everything's `get-env` tool returns its whole
 *   environment). A path variable goes too: it names a credential's file and
 *   may hold a key pasted into the wrong variable. The one exception is a
 *   value the server's own entry had before `wrap-config` overwrote it
 *   (`was.K`): that original is the server's, and it gets it back. An
 *   original the record cannot give back leaves the variable removed, never
 *   thoth's value in place.
 * - So is `THOTH_ENFORCER_URL`, deprecated and ignored by thoth: it is no
 *   credential by design, but a URL often carries one (`user:password@`, an
 *   `?access_token=`), and the server has no use for it.
 * - thoth's other variables stay (`THOTH_TENANT_ID`, `THOTH_USER_ID`,
 *   `THOTH_FLEET_ID`, the device ids, `THOTH_APEX_DOMAIN`, `THOTH_ENV`,
 *   `THOTH_HOME`…), unless `wrap-config` added them: they identify, they do
 *   not authenticate, and a server (or a nested `thoth`) may read them. The
 *   profile folder `THOTH_HOME` names is no secret from a process of the
 *   same user, which could read it without being told where it is.
 *
 * - A record that cannot be read (a hand edit: a part given twice, a value
 *   that is not URI-encoded) is refused, `config.bad_wrap_record`: `thoth
 *   run` then starts no server, since it could give it neither its originals
 *   back nor keep thoth's added keys from it (fail closed).
 *
 * On Windows, where a variable's name has no case, a credential is matched
 * in any case.
 *
 * @example
 * ```ts
 * upstreamEnvChanges({
 *   THOTH_WRAP: "v1;added=THOTH_USER_ID",
 *   THOTH_USER_ID: "a@b.co",
 *   THOTH_API_KEY: "k-1",
 *   THOTH_TENANT_ID: "acme",
 * }, "linux");
 * // { remove: ["THOTH_USER_ID", "THOTH_API_KEY", "THOTH_WRAP"], set: {} }
 * ```
 */
import {
  parseWrapRecord,
  unreadableWrapRecord,
  WRAP_RECORD_KEY,
  type WrapRecord,
} from "./wrap_record.ts";
import { isCredentialVariable } from "../identity/credential_variables.ts";

/**
 * Variables thoth ignores that may still hold a credential (a URL with a
 * user and password in it): removed as a credential is.
 */
const IGNORED_MAYBE_SECRET: readonly string[] = ["THOTH_ENFORCER_URL"];

/** Keys to remove from, and values to set in, the upstream server's environment. */
export interface EnvChanges {
  remove: string[];
  set: Record<string, string>;
}

/**
 * Computes the changes for an environment on `os` (default: the running
 * OS). Throws `config.bad_wrap_record`, naming the part at fault, when the
 * environment has a record that cannot be read.
 */
export function upstreamEnvChanges(
  env: Readonly<Record<string, string | undefined>>,
  os: string = Deno.build.os,
): EnvChanges {
  const raw = Object.hasOwn(env, WRAP_RECORD_KEY) ? env[WRAP_RECORD_KEY] : undefined;
  let record: WrapRecord | undefined;
  if (raw !== undefined) {
    try {
      record = parseWrapRecord(raw);
    } catch (error) {
      // thoth run's words for it, which name the part at fault but quote none of the record.
      throw unreadableWrapRecord(raw) ?? error;
    }
  }
  const restored: [string, string][] = [];
  for (const [key, jsonText] of Object.entries(record?.replaced ?? {})) {
    try {
      const original = JSON.parse(jsonText);
      if (typeof original === "string") restored.push([key, original]);
    } catch {
      // An unreadable original leaves thoth's value in place (a credential is removed below).
    }
  }
  // Own properties even for keys such as "__proto__" (fromEntries defines, never assigns).
  const set: Record<string, string> = Object.fromEntries(restored);
  const name = (key: string) => os === "windows" ? key.toUpperCase() : key;
  const givenBack = new Set(Object.keys(set).map(name));
  const credentials = Object.keys(env).filter((key) =>
    (isCredentialVariable(key, os) || IGNORED_MAYBE_SECRET.includes(name(key))) &&
    !givenBack.has(name(key))
  );
  const remove = [
    ...(record?.added ?? []).filter((key) => !Object.hasOwn(set, key)),
    ...credentials,
    ...(raw === undefined ? [] : [WRAP_RECORD_KEY]),
  ];
  return { remove: [...new Set(remove)], set };
}
