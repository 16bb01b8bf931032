/**
 * The command line that runs `floor_relay.ts` in front of a server, with the
 * permissions the floor needs and no others: one definition for the
 * benchmark that measures it and the test that checks it relays.
 *
 * @example
 * ```ts
 * const argv = floorRelayArgv(Deno.execPath(), ["node", "server.js"]);
 * ```
 */

/** `deno run … floor_relay.ts -- <server…>`, with `v8Flags` (e.g. `--v8-flags=…`) before the script. */
export function floorRelayArgv(
  deno: string,
  server: readonly string[],
  v8Flags: readonly string[] = [],
): string[] {
  return [
    deno,
    "run",
    "--quiet",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "--unstable-worker-options",
    ...v8Flags,
    new URL("./floor_relay.ts", import.meta.url).pathname,
    "--",
    ...server,
  ];
}
