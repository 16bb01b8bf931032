/**
 * Every value a compiled {@linkcode ArgPath} reaches in a call's arguments.
 * A `*` step fans out over array elements and object values; a step that does
 * not exist yields nothing (so an empty result means "absent").
 *
 * A key step also reaches keys that differ from it only by case (`Path` for
 * `path`): servers built on Go's `encoding/json` bind them to the same field,
 * so a rule about `path` must see them too. A step also goes into a string
 * that holds a JSON array or object (`"[\"/etc/shadow\"]"`): the Python MCP
 * SDK parses such a string for any parameter not declared a string, so the
 * server reads a list where the call sent text; it parses with `json.loads`,
 * which also takes `NaN` and `Infinity`, and so does this reading. Seeing more values only makes
 * a blocking rule match more often and an allowing rule match less often.
 *
 * With `scalarsAtAny` (for a rule that blocks or steps up), a `*` step also
 * reaches a single value where a list was expected: `paths[*]` reaches
 * `"/etc/shadow"` in `{"paths": "/etc/shadow"}`, as a server that takes one
 * value or a list (`str | list[str]`, `[].concat(paths)`) reads it.
 *
 * @example
 * ```ts
 * selectArgValues({ items: [{ p: "a" }, { p: "b" }] }, [
 *   { key: "items" }, { any: true }, { key: "p" },
 * ]); // ["a", "b"]
 * ```
 */
import type { ArgPath } from "./arg_path.ts";
import { foldKey } from "../protocol/key_case.ts";
import { parsePythonJson } from "./python_json.ts";

/** The values at `path` in `args`, in document order. */
export function selectArgValues(args: unknown, path: ArgPath, scalarsAtAny = false): unknown[] {
  let current: unknown[] = [args];
  for (const step of path) {
    const next: unknown[] = [];
    for (const reached of current) {
      const value = typeof reached === "string" ? embeddedJson(reached) : reached;
      if (value === null || typeof value !== "object") {
        // One value where a list was expected: what a lenient server makes a list of.
        if (scalarsAtAny && "any" in step && reached !== null && reached !== undefined) {
          next.push(reached);
        }
        continue;
      }
      if ("key" in step) {
        if (Array.isArray(value)) continue;
        const object = value as Record<string, unknown>;
        if (Object.hasOwn(object, step.key)) next.push(object[step.key]);
        const variants = foldIndex(object).get(foldKey(step.key));
        if (variants !== undefined) {
          for (const key of variants) if (key !== step.key) next.push(object[key]);
        }
      } else if ("index" in step) {
        if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
      } else {
        // One by one: spreading 125,000 or more elements overflows the call stack.
        for (const item of Array.isArray(value) ? value : Object.values(value)) next.push(item);
      }
    }
    if (next.length === 0) return next;
    current = next;
  }
  return current;
}

/**
 * The array or object a string holds as JSON text, read as Python's
 * `json.loads` reads it (`NaN`, `Infinity` taken), or undefined.
 */
function embeddedJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== "[" && first !== "{") return undefined;
  try {
    return parsePythonJson(text);
  } catch {
    return undefined;
  }
}

// The last object indexed: the rules of one call step into the same arguments
// object again and again. Held weakly, so a large argument is not kept alive.
let lastObject: WeakRef<object> | undefined;
let lastIndex: Map<string, string[]> = new Map();

/** An object's keys grouped by their case-folded form. */
function foldIndex(object: Record<string, unknown>): Map<string, string[]> {
  if (lastObject?.deref() === object) return lastIndex;
  const index = new Map<string, string[]>();
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const folded = foldKey(key);
    const keys = index.get(folded);
    if (keys === undefined) index.set(folded, [key]);
    else keys.push(key);
  }
  lastObject = new WeakRef(object);
  lastIndex = index;
  return index;
}
