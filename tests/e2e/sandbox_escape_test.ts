/**
 * The proxy core's sandbox: from inside the core, everything but the
 * session's own needs fails with Deno's permission error, while governed
 * traffic still flows.
 */
import assert from "node:assert/strict";
import {
  CONFIG,
  DENO,
  faultArgv,
  initializeRequest,
  RawPeer,
  ROOT,
  tempDir,
  V8_FLAGS,
} from "./_harness.ts";
import { readProbeReport } from "../fixtures/sandbox/probe_report.ts";

Deno.test("the sandboxed proxy core cannot read, write, connect, run or read env beyond its grant (none in THOTH_HOME when it records nothing), nor run anything once its server runs", async () => {
  await using home = await tempDir("thoth-home-");
  await using outside = await tempDir("thoth-outside-");
  await Deno.writeTextFile(`${outside.path}/secret.txt`, "do not read");
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const probe = {
    thothHome: home.path,
    outsideFile: `${outside.path}/secret.txt`,
    outsideDir: outside.path,
    port: (listener.addr as Deno.NetAddr).port,
    command: "/bin/sh",
    envName: "PATH",
    upstream: DENO,
  };
  const peer = new RawPeer([
    DENO,
    "run",
    "-P=thoth",
    V8_FLAGS,
    "--quiet",
    `--config=${CONFIG}`,
    `${ROOT}/tests/fixtures/sandbox/escape_main.ts`,
    JSON.stringify(probe),
    "--",
    ...faultArgv(),
  ]);
  try {
    await peer.send(initializeRequest(1));
    const init = await peer.next();
    assert.equal(
      (init["result"] as { serverInfo: { name: string } }).serverInfo.name,
      "fault-server",
    );
    await peer.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { x: 1 } },
    });
    assert.match(
      JSON.stringify(await peer.next()),
      /echo: \{\\"x\\":1\}/,
      "governed traffic flows",
    );
    const status = await peer.finish();
    assert.equal(status.code, 0);

    const report = readProbeReport(peer.stderr, "escape");
    for (
      const name of ["readOutside", "writeOutside", "connectLoopback", "runOther", "readEnv"]
    ) {
      assert.match(
        report[name] ?? "",
        /^NotCapable: Requires (read|write|net|run|env) access/,
        `${name}: ${report[name]}`,
      );
    }
    assert.match(
      report["writeHome"] ?? "",
      /^NotCapable: Requires write access/,
      "a session that records nothing may not write in THOTH_HOME at all",
    );
    const after = readProbeReport(peer.stderr, "after-spawn");
    assert.match(
      after["rerunUpstream"] ?? "",
      /^NotCapable: Requires run access/,
      "once the server runs, not even its own command can be started again",
    );
    await assert.rejects(Deno.stat(`${outside.path}/escaped.txt`), Deno.errors.NotFound);
  } finally {
    listener.close();
    await peer.finish();
  }
});
