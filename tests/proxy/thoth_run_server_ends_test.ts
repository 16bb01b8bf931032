/**
 * `thoth run` as a process (its real stdin and stdout), at the ends of a
 * session a server makes hard: a server that stopped reading while a write
 * to it waits when the client closes its input, and a server that exits
 * before thoth has read the client's first request. Neither may hang thoth
 * or leave a request unanswered.
 */
import assert from "node:assert/strict";
import {
  faultArgv,
  initializeRequest,
  processState,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "../e2e/_harness.ts";

const enc = new TextEncoder();

Deno.test("thoth run stops a server that stopped reading, when the client closes its input with a write waiting", async () => {
  await using dir = await tempDir();
  const pidFile = `${dir.path}/server.pid`;
  const peer = new RawPeer(
    throughThoth(faultArgv(["--stop-reading", "--pid-file", pidFile]), [
      "--shutdown-grace-ms",
      "300",
    ]),
  );
  await peer.send(initializeRequest(1));
  assert.ok((await peer.responseTo(1))["result"], "initialize answered");
  // Far more than the pipe to the server holds: the write to it waits for good.
  await peer.send({
    jsonrpc: "2.0",
    id: 2,
    method: "resources/read",
    params: { uri: "file:///big", pad: "z".repeat(1024 * 1024) },
  });
  await peer.closeInput();
  // The request cut short is answered (however much of its line reached the pipe), once. The
  // waits here only guard a hang: how long thoth gives the server is the 300 ms its note names.
  const answer = await peer.responseTo(2, 30_000);
  const error = answer["error"] as { code: number; message: string };
  assert.equal(error.code, -32000);
  assert.match(error.message, /no longer reads? its input/);
  assert.equal(await peer.nextLine(30_000), undefined, "nothing more, and thoth's output ends");
  // finish() kills thoth if it has not exited within 20 s.
  const status = await peer.finish(20_000);
  assert.equal(status.signal, null, `thoth exited by itself; stderr:\n${peer.stderr}`);
  assert.match(
    peer.stderr,
    /thoth: the MCP server has not read its input \(\d+ bytes still waiting\) 300 ms after the client closed its input; giving them up and sending SIGTERM/,
  );
  const state = await processState(Number(await Deno.readTextFile(pidFile)));
  assert.ok(state === undefined || state === "Z", `the server was stopped (state ${state})`);
});

Deno.test("thoth run answers the request the client sent before a server that exits at once", async () => {
  const [command, ...args] = throughThoth(["/bin/false"]);
  const line = enc.encode(JSON.stringify(initializeRequest(1)) + "\n");
  for (let run = 1; run <= 20; run++) {
    const child = new Deno.Command(command!, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: testEnv(),
    }).spawn();
    // Written before thoth starts: it is in thoth's stdin when the server has already gone.
    const input = child.stdin.getWriter();
    await input.write(line);
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    // The client keeps its input open: only the server's exit ends the session.
    const [out, err] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    await input.close().catch(() => {});
    const status = await child.status;
    clearTimeout(timer);
    assert.equal(status.signal, null, `run ${run}: thoth exited by itself`);
    assert.equal(status.code, 1, `run ${run}: the server's exit code`);
    const lines = out.split("\n").filter((l) => l !== "");
    assert.equal(lines.length, 1, `run ${run}: one answer; stdout ${JSON.stringify(out)}\n${err}`);
    const answer = JSON.parse(lines[0]!);
    assert.equal(answer.id, 1);
    assert.equal(answer.error?.code, -32000, `run ${run}: ${lines[0]}`);
    assert.match(answer.error.message, /The MCP server exited \(code 1\)/);
  }
});
