/**
 * JSON text read as Python's `json.loads` reads it, which also takes the
 * bare words `NaN`, `Infinity` and `-Infinity` as numbers: the Python MCP
 * SDK parses a string argument with it, so `{"path": "/srv/x", "n": NaN}`
 * reaches such a server as an object even though `JSON.parse` refuses it.
 * Those words are read as `null` here (no rule looks at their value, and
 * every other value stays as sent). Pure.
 *
 * @example
 * ```ts
 * parsePythonJson('{"path":"/srv/secrets/plan.txt","x":NaN}'); // { path: "/srv/secrets/plan.txt", x: null }
 * parsePythonJson('{"note":"NaN"}'); // { note: "NaN" }
 * parsePythonJson("{oops"); // throws SyntaxError
 * ```
 */

/** The words Python's `json.loads` reads as numbers and `JSON.parse` refuses. */
const NON_FINITE = /-?Infinity|NaN/;

/** `text` parsed as `json.loads` would; throws `SyntaxError` when it is no JSON to either. */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!NON_FINITE.test(text)) throw error;
    const replaced = withoutNonFinite(text);
    if (replaced === text) throw error;
    return JSON.parse(replaced);
  }
}

/** `text` with each `NaN`, `Infinity` and `-Infinity` outside a string as `null`. */
function withoutNonFinite(text: string): string {
  let out = "";
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // "\": the next character is escaped
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    const word = text.startsWith("NaN", i)
      ? 3
      : text.startsWith("Infinity", i)
      ? 8
      : text.startsWith("-Infinity", i)
      ? 9
      : 0;
    if (word === 0 || isNamePart(text.charCodeAt(i - 1)) || isNamePart(text.charCodeAt(i + word))) {
      continue;
    }
    out += text.slice(from, i) + "null";
    from = i + word;
    i += word - 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Whether code unit `c` continues a word (so `xNaN` or `NaNx` is no bare `NaN`). */
function isNamePart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ||
    c === 46 || c === 43 || c === 45;
}
