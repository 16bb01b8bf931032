/**
 * The V8 flags every thoth process runs with: the deno.json tasks, the
 * compiled binaries and the commands thoth builds to start itself.
 *
 * - `--enable-experimental-regexp-engine-on-excessive-backtracks`: policy
 *   patterns that start to backtrack finish on V8's linear-time engine, so a
 *   client's arguments cannot stall the relay (see `admin_regexp.ts`).
 * - `--max-semi-space-size=2`: a young generation of at most 2 MiB per
 *   semi-space. thoth's garbage is short-lived and small (one message at a
 *   time); the default lets each isolate grow its young generation to tens of
 *   MiB under load, which `deno task bench` showed costs about 20 MiB of
 *   resident memory per governed server and buys no throughput.
 *
 * @example
 * ```ts
 * new Deno.Command(Deno.execPath(), { args: ["run", THOTH_V8_FLAGS, "src/cli/thoth.ts"] });
 * ```
 */

/** The `--v8-flags=…` argument thoth runs with. */
export const THOTH_V8_FLAGS =
  "--v8-flags=--enable-experimental-regexp-engine-on-excessive-backtracks,--max-semi-space-size=2";
