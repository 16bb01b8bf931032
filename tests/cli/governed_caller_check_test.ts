/**
 * `refuseGovernedCaller()` fails closed: where this process's tree cannot be
 * read (here: the process may not run ps at /bin/ps or /usr/bin/ps, as
 * thothctl could not), the approval commands refuse on Linux and macOS
 * instead of taking the caller for a person. A real subprocess under the
 * permissions named.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Runs refuseGovernedCaller() in a deno with `runFlag`, the marker variable unset. */
async function refusal(runFlag: string): Promise<{ code: number; out: string }> {
  const script = `
    import { refuseGovernedCaller } from ${
    JSON.stringify(`${ROOT}/src/cli/governed_caller_check.ts`)
  };
    try {
      await refuseGovernedCaller({}, "thothctl", "approve");
      console.log("allowed");
    } catch (error) {
      console.log(error.code + ": " + error.message + " | " + error.hints.join(" | "));
    }`;
  const env = { ...Deno.env.toObject() };
  delete env["THOTH_GOVERNED_BY"];
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/refusal.ts`, script);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--quiet",
        "--no-config",
        runFlag,
        "--allow-read",
        `${dir}/refusal.ts`,
      ],
      clearEnv: true,
      env,
      stdin: "null",
    }).output();
    return { code: out.code, out: new TextDecoder().decode(out.stdout).trim() };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "refuseGovernedCaller() refuses where it may not run ps, and allows with ps",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const denied = await refusal("--allow-run=/nonexistent/program");
    assert.equal(denied.code, 0);
    assert.match(denied.out, /^approval\.governed_caller: /, denied.out);
    assert.match(denied.out, /cannot tell whether it runs inside an MCP server/);
    assert.match(denied.out, /install ps/);
    // ps by absolute path, as thothctl may run it: a caller outside any server is let through.
    const allowed = await refusal("--allow-run=/bin/ps,/usr/bin/ps");
    assert.equal(allowed.out, "allowed", allowed.out);
  },
});
