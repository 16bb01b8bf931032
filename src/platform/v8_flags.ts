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
 * - `--heap-growing-percent=20`: after a full collection the old generation
 *   may grow by a fifth before the next, instead of V8's default factor of up
 *   to four. A burst of calls in flight otherwise leaves its promoted garbage
 *   resident; with the flag `deno task bench` measured about 5 MiB less peak
 *   memory at the same throughput.
 *
 * @example
 * ```ts
 * new Deno.Command(Deno.execPath(), { args: ["run", THOTH_V8_FLAGS, "src/cli/thoth.ts"] });
 * ```
 */

/** The `--v8-flags=…` argument thoth runs with. */
export const THOTH_V8_FLAGS =
  "--v8-flags=--enable-experimental-regexp-engine-on-excessive-backtracks,--max-semi-space-size=2,--heap-growing-percent=20";
