/**
 * A path that keeps changing under a reader, for the tests that prove a
 * reader does not look at a path and then open whatever is there by then:
 * another process swaps `path` between links to each of `targets`, as fast
 * as it can, until stopped.
 */

/** A running swapper; `stop()` ends it and waits. */
export interface Swapper {
  stop(): Promise<void>;
}

const SCRIPT = `
const [path, ...targets] = Deno.args;
for (let i = 0; ; i++) {
  const spare = path + ".swap" + (i % targets.length);
  try { Deno.removeSync(spare); } catch { /* not there */ }
  Deno.symlinkSync(targets[i % targets.length], spare);
  Deno.renameSync(spare, path);
}
`;

/** Starts swapping `path` between links to `targets` (absolute paths); resolves once it runs. */
export async function startSwapper(path: string, targets: readonly string[]): Promise<Swapper> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", SCRIPT, path, ...targets],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  for (let i = 0; i < 500; i++) {
    try {
      await Deno.lstat(path);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return {
    async stop() {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.status;
    },
  };
}
