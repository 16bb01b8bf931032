/**
 * `deno task demo` (scripts/demo.ts): it passes only when `thoth audit
 * verify` verified something (records and a signed checkpoint, status
 * clean), says that its policy is its own, never cuts a decision id in two,
 * ends with the next steps, and on SIGINT or SIGTERM stops its sessions,
 * removes its temp profile and exits 130 or 143. The demo runs for real:
 * the official MCP client, thoth run and server-everything.
 */
import assert from "node:assert/strict";
import { cutDetail, verifyProblem } from "../../scripts/demo.ts";
import { CONFIG, DENO, ROOT } from "../e2e/_harness.ts";
import { CLEAN_ENV } from "../cli/_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("verifyProblem() passes only a clean log with records and a verified checkpoint", () => {
  const clean = { status: "clean", records: 18, checkpoints: { verified: 3 }, findings: [] };
  assert.equal(verifyProblem(clean), undefined);
  // What verify --json says for a profile with no log (exit 2, "NO LOG").
  const noLog = {
    status: "warnings",
    records: 0,
    checkpoints: { verified: 0 },
    findings: [{ kind: "no_log", message: "there are no audit records" }],
  };
  assert.match(verifyProblem(noLog)!, /no records, so nothing was verified/);
  assert.match(
    verifyProblem({ ...clean, checkpoints: { verified: 0 } })!,
    /none of its checkpoints/,
  );
  const warned = {
    ...clean,
    status: "warnings",
    findings: [{ kind: "session_without_end", message: "a session has no end record" }],
  };
  assert.match(verifyProblem(warned)!, /status "warnings".*session_without_end/);
  assert.match(verifyProblem({ ...clean, status: "tampered" })!, /status "tampered"/);
  assert.match(verifyProblem({})!, /nothing was verified/);
});

Deno.test("cutDetail() never ends inside a decision id", () => {
  const text = 'thoth blocked this call to tool "echo" on server "everything" by rule ' +
    '"detector.secret" (secret detected: AWS access key id in message). Decision ' +
    "d-8e5f0a1b2c3d4e5f. This is a governance decision, not a tool failure.";
  const id = text.indexOf("d-8e5f");
  for (let max = id - 2; max <= id + 20; max++) {
    const cut = cutDetail(text, max);
    const last = /d-[0-9a-f]*(?=…$|$)/.exec(cut.replace(/\.?…$/, "…"));
    if (last !== null) assert.equal(last[0], "d-8e5f0a1b2c3d4e5f", `max ${max}: ${cut}`);
    assert.ok(cut.endsWith("…"), cut);
  }
  assert.equal(cutDetail("short", 150), "short");
});

/** Starts the demo as `deno task demo` does, with its temp folders under `tmp`. */
function startDemo(tmp: string): Deno.ChildProcess {
  return new Deno.Command(DENO, {
    args: [
      "run",
      "-P=test",
      "--no-prompt",
      "--quiet",
      "--v8-flags=--enable-experimental-regexp-engine-on-excessive-backtracks",
      `--config=${CONFIG}`,
      `${ROOT}/scripts/demo.ts`,
    ],
    cwd: ROOT,
    clearEnv: true,
    env: { ...CLEAN_ENV, TMPDIR: tmp, HOME: tmp },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads `child`'s stdout into `seen.text` as it comes, until it ends. */
async function collect(child: Deno.ChildProcess, seen: { text: string }): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) seen.text += decoder.decode(chunk, { stream: true });
}

async function demoFolders(tmp: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(tmp)) {
    if (entry.name.startsWith("thoth-demo-")) names.push(entry.name);
  }
  return names;
}

/** Resolves once `ready()` holds, polling; fails after `ms`. */
async function until(ready: () => boolean | Promise<boolean>, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The processes whose environment sets THOTH_HOME to `home`, as `ps` shows
 * them with their environment (Linux's ps; elsewhere none are looked for).
 */
async function processesWithHome(home: string): Promise<string[]> {
  if (Deno.build.os !== "linux") return [];
  const ps = await new Deno.Command("ps", { args: ["-e", "e", "-ww", "-o", "pid=,args="] })
    .output();
  assert.equal(ps.code, 0, new TextDecoder().decode(ps.stderr));
  return new TextDecoder().decode(ps.stdout).split("\n")
    .filter((line) => line.split(" ").includes(`THOTH_HOME=${home}`));
}

Deno.test("the demo passes end to end, names its own policy, keeps ids whole and says what next", async () => {
  const tmp = await tempFolder("thoth-demo-test-");
  const child = startDemo(tmp);
  const seen = { text: "" };
  const [status, , stderr] = await Promise.all([
    child.status,
    collect(child, seen),
    new Response(child.stderr).text(),
  ]);
  const out = seen.text;
  assert.equal(status.code, 0, `${out}\n${stderr}`);
  assert.match(
    out,
    /\n✓ thoth audit verify \(exit 0\): .*\b[1-9]\d* records, [1-9]\d* signed checkpoint/,
  );
  assert.match(out, /\ndemo passed\n/);
  assert.match(
    out,
    /^policy: the demo's own \(its rule "no-env" blocks get-env.*THOTH_HOME\/policy\.jsonc.*"thoth policy explain"/m,
  );
  // Every decision id shown is whole (16 hex digits).
  const ids = [...out.matchAll(/\bd-[0-9a-f]*/g)].map((m) => m[0]);
  assert.ok(ids.length >= 2, out);
  for (const id of ids) assert.match(id, /^d-[0-9a-f]{16}$/, out);
  const next = out.slice(out.indexOf("\nnext:"));
  for (const command of ["thoth wrap-config", "thoth status", "thoth doctor", "deno task thoth"]) {
    assert.ok(next.includes(command), `${command} in:\n${next}`);
  }
  assert.deepEqual(await demoFolders(tmp), [], "the temp profile is removed");
});

for (
  const [signal, code, when] of [
    ["SIGINT", 130, "session"],
    ["SIGTERM", 143, "profile"],
  ] as const
) {
  Deno.test(`${signal} during the demo stops its sessions, removes its profile and exits ${code}`, async () => {
    const tmp = await tempFolder("thoth-demo-signal-");
    const child = startDemo(tmp);
    const seen = { text: "" };
    const reading = collect(child, seen);
    const stderr = new Response(child.stderr).text();
    try {
      if (when === "session") {
        // A session is running: its thoth and server are up.
        await until(() => seen.text.includes("tools/list passes"), 60_000, "the first session");
      } else {
        await until(async () => (await demoFolders(tmp)).length > 0, 60_000, "the temp profile");
      }
    } catch (error) {
      child.kill("SIGKILL");
      await child.status;
      throw error;
    }
    const home = /profile: THOTH_HOME=(\S+)/.exec(seen.text)?.[1];
    if (when === "session") {
      assert.ok((await processesWithHome(home!)).length > 0 || Deno.build.os !== "linux");
    }
    child.kill(signal);
    const status = await child.status;
    await reading;
    const err = await stderr;
    assert.equal(
      status.signal,
      null,
      `ended by the signal, not by the demo:\n${seen.text}\n${err}`,
    );
    assert.equal(status.code, code, `${seen.text}\n${err}`);
    assert.deepEqual(await demoFolders(tmp), [], `the temp profile is left:\n${seen.text}`);
    if (home !== undefined) {
      // The sessions it started (thoth run, and the server under it) have ended.
      await until(async () => (await processesWithHome(home)).length === 0, 10_000, "sessions")
        .catch(async (error) => {
          throw new Error(`${error}: ${(await processesWithHome(home)).join("\n")}`);
        });
    }
  });
}
