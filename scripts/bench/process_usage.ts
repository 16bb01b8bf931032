/**
 * What a benchmarked process has used so far, read from Linux's `/proc`
 * (through `cat`, which needs only --allow-run): its peak resident set size,
 * and the CPU time of all its threads. Null where `/proc` cannot be read.
 *
 * @example
 * ```ts
 * const before = await cpuMs(child.pid);
 * // … the calls …
 * const after = await cpuMs(child.pid);
 * const peak = await peakRssMiB(child.pid);
 * ```
 */
const dec = new TextDecoder();

/** Peak resident set size (VmHWM) of process `pid` in MiB; null when unreadable. */
export async function peakRssMiB(pid: number): Promise<number | null> {
  try {
    // Deno asks for --allow-all to read /proc directly; `cat` needs only --allow-run.
    const output = await new Deno.Command("cat", { args: [`/proc/${pid}/status`], stderr: "null" })
      .output();
    const status = dec.decode(output.stdout);
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user and system, every thread) a process has used, in ms; null when unreadable. */
export async function cpuMs(pid: number): Promise<number | null> {
  try {
    const output = await new Deno.Command("cat", { args: [`/proc/${pid}/stat`], stderr: "null" })
      .output();
    // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = dec.decode(output.stdout).split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 1000 / CLOCK_TICKS : null;
  } catch {
    return null;
  }
}

/** Clock ticks per second of `/proc/<pid>/stat` (100 on Linux unless the kernel says otherwise). */
const CLOCK_TICKS = await (async () => {
  try {
    const output = await new Deno.Command("getconf", { args: ["CLK_TCK"], stderr: "null" })
      .output();
    const ticks = Number(dec.decode(output.stdout).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();
