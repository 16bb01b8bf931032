/**
 * `processUmask()` reads the umask without setting it to 0 for an instant
 * (what `Deno.umask()` does to read it, for the whole process): on Linux from
 * `/proc/self/status` where Deno lets it be read (a process with all
 * permissions), elsewhere with one `Deno.umask()` call per process. New
 * files `atomicWrite()` and `createExclusive()` make without a mode still get
 * 0666 less the umask. Each case runs in a process of its own
 * (`_under_umask_counted.ts`): the umask is the whole process's, and this one
 * runs other test files beside this one.
 */
import assert from "node:assert/strict";
import { umaskFromStatus } from "../../src/platform/process_umask.ts";
import { tempFolder } from "../_temp_dirs.ts";

const script = new URL("./_under_umask_counted.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;
const posix = Deno.build.os !== "windows";
const linux = Deno.build.os === "linux";
const decoder = new TextDecoder();

interface Outcome {
  umask: number | null;
  modes: number[];
  umaskCalls: number;
}

/** Runs the script under `umask` with `permissions` (`-A` or `-P=test`) and `args`. */
async function underUmask(permissions: string, umask: number, ...args: string[]): Promise<Outcome> {
  const run = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${config}`,
      permissions,
      "--no-prompt",
      script,
      umask.toString(8),
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(run.code, 0, decoder.decode(run.stderr));
  return JSON.parse(decoder.decode(run.stdout));
}

Deno.test("umaskFromStatus() reads the octal Umask: line, and nothing else", () => {
  assert.equal(umaskFromStatus("Name:\tdeno\nUmask:\t0027\nState:\tR (running)\n"), 0o027);
  assert.equal(umaskFromStatus("Umask:\t0000\n"), 0);
  assert.equal(umaskFromStatus("Umask:\t0777"), 0o777);
  assert.equal(umaskFromStatus("Name:\tdeno\nState:\tR (running)\n"), undefined);
  assert.equal(umaskFromStatus("Umask:\t0029\n"), undefined);
  assert.equal(umaskFromStatus("Name:\tUmask: 0022\n"), undefined);
  assert.equal(umaskFromStatus(undefined), undefined);
});

Deno.test({
  name: "processUmask() on Linux reads the umask from /proc and never calls Deno.umask()",
  ignore: !linux,
  fn: async () => {
    for (const umask of [0o027, 0o000, 0o077]) {
      const outcome = await underUmask("-A", umask, "read");
      assert.deepEqual(outcome, { umask, modes: [], umaskCalls: 0 }, umask.toString(8));
    }
  },
});

Deno.test({
  name: "processUmask() where /proc may not be read calls Deno.umask() once per process",
  ignore: !posix,
  fn: async () => {
    const outcome = await underUmask("-P=test", 0o027, "read");
    assert.deepEqual(outcome, { umask: 0o027, modes: [], umaskCalls: 1 });
  },
});

Deno.test({
  name:
    "atomicWrite() and createExclusive() without a mode give 0666 less the umask, on Linux without calling Deno.umask()",
  ignore: !linux,
  fn: async () => {
    const folder = await tempFolder("thoth-umask-");
    const outcome = await underUmask("-A", 0o027, "write", folder);
    assert.deepEqual(outcome, { umask: null, modes: [0o640, 0o640, 0o640], umaskCalls: 0 });
  },
});

Deno.test({
  name:
    "atomicWrite() and createExclusive() without a mode where /proc may not be read call Deno.umask() once in all",
  ignore: !posix,
  fn: async () => {
    const folder = await tempFolder("thoth-umask-");
    const outcome = await underUmask("-P=test", 0o002, "write", folder);
    assert.deepEqual(outcome, { umask: null, modes: [0o664, 0o664, 0o664], umaskCalls: 1 });
  },
});
