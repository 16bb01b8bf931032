/**
 * The value of the `PATH` variable in an environment snapshot. Windows
 * names variables in any case and usually spells this one `Path`; a snapshot
 * taken with `Deno.env.toObject()` keeps the spelling, so `env["PATH"]` alone
 * finds nothing there, and a bare command such as `npx` would be looked up on
 * an empty PATH. Elsewhere the name is `PATH` exactly (`Path` is another
 * variable). Pure.
 *
 * @example
 * ```ts
 * pathVariable({ Path: "C:\\Windows\\system32" }, "windows"); // "C:\\Windows\\system32"
 * pathVariable({ Path: "/opt/bin" }, "linux"); // ""
 * ```
 */

/** `PATH` of `env` on `os` (a `Deno.build.os` value); "" when it is not set. */
export function pathVariable(
  env: Readonly<Record<string, string | undefined>>,
  os: string,
): string {
  const exact = env["PATH"];
  if (exact !== undefined || os !== "windows") return exact ?? "";
  const key = Object.keys(env).find((name) => name.toUpperCase() === "PATH");
  return (key === undefined ? undefined : env[key]) ?? "";
}
