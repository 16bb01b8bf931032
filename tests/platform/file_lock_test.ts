/**
 * FileLock: holders of one lock path on one thread take turns without
 * blocking it. Each case runs in a child process (_lock_holders.ts): a lock
 * that blocked the thread would never end, so a deadline stands in for it.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { tempFolder } from "../_temp_dirs.ts";

const HOLDERS = fileURLToPath(new URL("./_lock_holders.ts", import.meta.url));

/** Runs the holders of `scenario`; what they saw, or a failure naming a blocked thread. */
async function holders(scenario: string): Promise<string[]> {
  const dir = await tempFolder("thoth-lock-");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      "--no-prompt",
      HOLDERS,
      dir,
      scenario,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const deadline = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(deadline);
  const err = new TextDecoder().decode(stderr);
  assert.equal(code, 0, `the holders did not finish (a lock blocked their thread?): ${err}`);
  return JSON.parse(new TextDecoder().decode(stdout));
}

Deno.test("holders of one lock on one thread wait in turn while the holder goes on", async () => {
  assert.deepEqual(await holders("queue"), ["a", "a waited", "b", "c", "c held: true"]);
});

Deno.test("a holder whose take fails in its turn passes the turn on", async () => {
  assert.deepEqual(await holders("failed"), [
    "a",
    "a waited",
    "b failed: BadResource",
    "c",
    "c held: true",
  ]);
});
