/**
 * Which files a task, or a deno call it makes, may write: plain paths inside
 * the project, away from what later deno calls read (deno.json, deno.jsonc,
 * package.json, deno.lock, node_modules, .npmrc) and from `.git` (its hooks
 * run programs, and this check does not search it). Pure.
 *
 * @example
 * ```ts
 * writeProblem("dist/out.txt"); // undefined
 * writeProblem("./deno.lock"); // 'touches "deno.lock", which later deno calls read'
 * writeProblem("/tmp/x"); // "is outside the project"
 * ```
 */

/** Path segments a task may not write: what later deno calls read, and `.git`. */
const PROTECTED = /^(?:deno\.jsonc?|package\.json|deno\.lock|node_modules|\.npmrc|\.git)$/i;

/**
 * Why writing `path` is refused, as the end of a sentence about it, or
 * undefined when it is a plain path inside the project (or `/dev/null`).
 *
 * @example
 * ```ts
 * writeProblem("node_modules/.bin/x"); // 'touches "node_modules", which later deno calls read'
 * writeProblem("../x"); // 'leaves the project ("..")'
 * ```
 */
export function writeProblem(path: string): string | undefined {
  if (path === "/dev/null") return undefined;
  if (/^(?:[/\\~]|[A-Za-z]:)/.test(path)) return "is outside the project";
  const segments = path.split(/[/\\]/).filter((s) => s !== "" && s !== ".");
  if (segments.length === 0) return "is the project folder itself";
  if (segments.includes("..")) return 'leaves the project ("..")';
  // Windows drops a name's trailing dots and spaces: "deno.json." is deno.json there.
  const hit = segments.find((s) => PROTECTED.test(s.replace(/[. ]+$/, "")));
  if (hit === undefined) return undefined;
  return hit.toLowerCase() === ".git"
    ? `touches "${hit}", whose hooks run programs and which this check does not search`
    : `touches "${hit}", which later deno calls read`;
}
