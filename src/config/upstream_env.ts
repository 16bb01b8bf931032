/**
 * The environment a wrapped server would have had without thoth: the keys
 * `wrap-config` added for thoth are removed, the values it overwrote are
 * restored, and the `THOTH_WRAP` record itself goes. Pure: returns the
 * changes for the shell to apply.
 *
 * @example
 * ```ts
 * upstreamEnvChanges({ THOTH_WRAP: "v1;added=THOTH_USER_ID", THOTH_USER_ID: "a@b.co" });
 * // { remove: ["THOTH_USER_ID", "THOTH_WRAP"], set: {} }
 * ```
 */
import { parseWrapRecord, WRAP_RECORD_KEY } from "./wrap_record.ts";

/** Keys to remove from, and values to set in, the upstream server's environment. */
export interface EnvChanges {
  remove: string[];
  set: Record<string, string>;
}

/** Computes the changes; a record that cannot be read changes only itself. */
export function upstreamEnvChanges(env: Readonly<Record<string, string | undefined>>): EnvChanges {
  const raw = Object.hasOwn(env, WRAP_RECORD_KEY) ? env[WRAP_RECORD_KEY] : undefined;
  if (raw === undefined) return { remove: [], set: {} };
  let record;
  try {
    record = parseWrapRecord(raw);
  } catch {
    return { remove: [WRAP_RECORD_KEY], set: {} };
  }
  const restored: [string, string][] = [];
  for (const [key, jsonText] of Object.entries(record.replaced)) {
    try {
      const original = JSON.parse(jsonText);
      if (typeof original === "string") restored.push([key, original]);
    } catch {
      // An unreadable original leaves thoth's value in place.
    }
  }
  // Own properties even for keys such as "__proto__" (fromEntries defines, never assigns).
  const set: Record<string, string> = Object.fromEntries(restored);
  const remove = [...record.added.filter((key) => !Object.hasOwn(set, key)), WRAP_RECORD_KEY];
  return { remove, set };
}
