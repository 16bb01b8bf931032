/**
 * A stop that reaches thoth before its unsandboxed thread has checked the
 * server's pid (the core's `spawned`, then `ps`, then `server-checked`) still
 * ends the whole process group the server leads (it made itself the leader
 * of one with `setsid`), not the server alone. A `ps` that
 * answers a second late, put first on thoth's PATH, holds the check open.
 */
import assert from "node:assert/strict";
import {
  faultArgv,
  goneWithin,
  initializeRequest,
  killQuietly,
  pidFrom,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "./_harness.ts";

/** The real `ps` on this machine's PATH. */
function realPs(): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/ps`).isFile) return `${dir}/ps`;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * A server that leads a process group of its own (`setsid`), starts a
 * process in it that writes its pid to `file`, then becomes the fault server
 * with `flags`.
 */
function groupLeader(file: string, flags: readonly string[] = []): string[] {
  const quoted = faultArgv(flags).map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(" ");
  return [
    "setsid",
    "sh",
    "-c",
    `sleep 300 </dev/null >/dev/null 2>&1 & echo $! > '${file}'; exec ${quoted}`,
  ];
}

const ps = Deno.build.os === "windows" ? undefined : realPs();

Deno.test(
  "a stop before thoth has checked its server's pid still ends the server's process group",
  {
    ignore: ps === undefined || Deno.build.os !== "linux",
  },
  async () => {
    await using dir = await tempDir();
    const slow = `${dir.path}/bin`;
    await Deno.mkdir(slow);
    await Deno.writeTextFile(`${slow}/ps`, `#!/bin/sh\nsleep 1\nexec ${ps} "$@"\n`, {
      mode: 0o755,
    });
    const sibling = `${dir.path}/sibling.pid`;
    // A server that outlives its input's end: only a signal ends it (and it can be to its group).
    const server = groupLeader(sibling, ["--ignore-eof"]);
    const peer = new RawPeer(
      throughThoth(server, ["--agent-id", "stop-early"]),
      testEnv({ THOTH_HOME: `${dir.path}/home`, PATH: `${slow}:${Deno.env.get("PATH") ?? ""}` }),
    );
    let sleeper: number | undefined;
    try {
      sleeper = await pidFrom(sibling);
      // Well inside the second the slow `ps` takes: the check is still open.
      peer.child.kill("SIGTERM");
      const status = await peer.finish();
      assert.equal(status.code, 143, peer.stderr);
      assert.ok(
        await goneWithin(sleeper, 5000),
        `the server's own process ${sleeper} outlived thoth\n${peer.stderr}`,
      );
    } finally {
      if (sleeper !== undefined) {
        try {
          Deno.kill(sleeper, "SIGKILL");
        } catch {
          // Gone, as it should be.
        }
      }
      await peer.finish();
    }
  },
);

Deno.test("a session whose pid check comes in time relays and stops as before", {
  ignore: ps === undefined || Deno.build.os !== "linux",
}, async () => {
  await using dir = await tempDir();
  const sibling = `${dir.path}/sibling.pid`;
  const server = groupLeader(sibling, ["--ignore-eof"]);
  const peer = new RawPeer(
    throughThoth(server, ["--agent-id", "stop-late"]),
    testEnv({ THOTH_HOME: `${dir.path}/home` }),
  );
  let sleeper: number | undefined;
  try {
    await peer.send(initializeRequest(1));
    await peer.responseTo(1);
    sleeper = await pidFrom(sibling);
    await new Promise((resolve) => setTimeout(resolve, 500));
    peer.child.kill("SIGTERM");
    assert.equal((await peer.finish()).code, 143, peer.stderr);
    assert.ok(await goneWithin(sleeper, 5000), `process ${sleeper} outlived thoth`);
  } finally {
    if (sleeper !== undefined) killQuietly(sleeper);
    await peer.finish();
  }
});
