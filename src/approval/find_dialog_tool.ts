/**
 * Which native dialog tool can ask a person on this machine, or why none
 * can: macOS `osascript`; Windows `powershell` (or `pwsh`); Linux and the
 * BSDs `zenity` or `kdialog`, only with `DISPLAY` or `WAYLAND_DISPLAY` set (a
 * sidecar started by a GUI client inherits its desktop session). The
 * executable lookup is passed in, so the choice itself is pure.
 *
 * @example
 * ```ts
 * await findDialogTool({ DISPLAY: ":0" }, "linux", async (n) => n === "zenity" ? "/usr/bin/zenity" : null);
 * // { tool: "zenity", path: "/usr/bin/zenity" }
 * ```
 */

/** The dialog tools thoth knows how to drive. */
export type DialogTool = "osascript" | "powershell" | "zenity" | "kdialog";

/** Resolves a command name to a path, or null when it is not installed. */
export type ExecutableLookup = (name: string) => Promise<string | null>;

/** The dialog tool to use, or why there is none. */
export type DialogToolChoice =
  | { tool: DialogTool; path: string }
  | { tool: null; why: string };

/** Picks the dialog tool for `os` (a `Deno.build.os` value). */
export async function findDialogTool(
  env: Readonly<Record<string, string | undefined>>,
  os: string,
  lookup: ExecutableLookup,
): Promise<DialogToolChoice> {
  if (os === "darwin") {
    const path = await lookup("osascript");
    return path === null
      ? { tool: null, why: "osascript is not on the PATH" }
      : { tool: "osascript", path };
  }
  if (os === "windows") {
    for (const name of ["powershell", "pwsh"]) {
      const path = await lookup(name);
      if (path !== null) return { tool: "powershell", path };
    }
    return { tool: null, why: "neither powershell nor pwsh is on the PATH" };
  }
  const display = (env["DISPLAY"] ?? "") !== "" || (env["WAYLAND_DISPLAY"] ?? "") !== "";
  if (!display) {
    return { tool: null, why: "no desktop session (DISPLAY and WAYLAND_DISPLAY are unset)" };
  }
  for (const name of ["zenity", "kdialog"] as const) {
    const path = await lookup(name);
    if (path !== null) return { tool: name, path };
  }
  return { tool: null, why: "neither zenity nor kdialog is installed" };
}
