/**
 * Compiles a dot path into the call's arguments, once: `"path"`,
 * `"options.path"`, `"items[0]"`, `"items[*]"` or `"items.*"` (every element),
 * and `'headers["x.y"]'` for keys that hold dots or brackets. Returns
 * `undefined` for a malformed path, including a quoted key whose escapes are
 * not JSON's (`a["\x"]`).
 *
 * @example
 * ```ts
 * compileArgPath("options.paths[*]");
 * // [{ key: "options" }, { key: "paths" }, { any: true }]
 * compileArgPath("a..b"); // undefined
 * writtenArgPath('a["b*"]')?.[1]; // { step: { key: "b*" }, quoted: true }
 * ```
 */
import type { ArgPath, ArgPathStep } from "./arg_path.ts";

const IDENT = /^[^.[\]"]+/;
/**
 * A quoted key in JSON string syntax exactly (RFC 8259: unescaped U+0020–U+0021,
 * U+0023–U+005B, U+005D and up, or an escape), so `JSON.parse` cannot fail on it.
 */
const QUOTED = /^\["((?:[ !#-[\]-\uffff]|\\["\\/bfnrt]|\\u[0-9A-Fa-f]{4})*)"\]/;

/** The steps of `path`, or `undefined` when it is malformed. */
export function compileArgPath(path: string): ArgPath | undefined {
  return writtenArgPath(path)?.map((s) => s.step);
}

/** One step of a path as written: `quoted` for a `["…"]` key, literal whatever it holds. */
export interface WrittenStep {
  step: ArgPathStep;
  quoted: boolean;
}

/**
 * The steps of `path` with how each was written (for notes on a path that
 * reads otherwise than it looks), or `undefined` when it is malformed.
 */
export function writtenArgPath(path: string): WrittenStep[] | undefined {
  const steps: WrittenStep[] = [];
  let rest = path;
  let expectKey = true;
  while (rest.length > 0) {
    if (rest.startsWith("[")) {
      const quoted = QUOTED.exec(rest);
      if (quoted) {
        steps.push({ step: { key: JSON.parse(`"${quoted[1]}"`) as string }, quoted: true });
        rest = rest.slice(quoted[0].length);
      } else {
        const bracket = /^\[(\*|\d{1,9})\]/.exec(rest);
        if (!bracket) return undefined;
        const step = bracket[1] === "*" ? { any: true as const } : { index: Number(bracket[1]) };
        steps.push({ step, quoted: false });
        rest = rest.slice(bracket[0].length);
      }
      expectKey = false;
      continue;
    }
    if (!expectKey) {
      if (!rest.startsWith(".")) return undefined;
      rest = rest.slice(1);
    }
    const ident = IDENT.exec(rest);
    if (!ident) return undefined;
    steps.push({ step: ident[0] === "*" ? { any: true } : { key: ident[0] }, quoted: false });
    rest = rest.slice(ident[0].length);
    expectKey = false;
  }
  return steps.length > 0 ? steps : undefined;
}
