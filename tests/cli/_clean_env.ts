/**
 * The environment for a `thoth` subprocess in a test: this process's, without
 * thoth's own variables (the machine running the tests must not steer them),
 * with Deno's cache pinned where it is now (tests move HOME).
 */
export const CLEAN_ENV: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([name]) =>
      !name.startsWith("THOTH_") && name !== "INTUNE_DEVICE_ID" && name !== "JAMF_COMPUTER_ID"
    ),
  ),
  DENO_DIR: Deno.env.get("DENO_DIR") ??
    `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`,
};
