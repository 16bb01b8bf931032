/**
 * `thoth run` whose client closes its end of thoth's stdout but keeps its
 * stdin open: the first answer thoth cannot write (a broken pipe) ends the
 * relaying of the client's requests. thoth says so once on stderr, sends the
 * server none of the requests that follow (it would run them with nobody to
 * read their results), and ends the session as it does at the client's EOF:
 * the server's input is closed, it exits, and thoth exits with its code.
 */
import assert from "node:assert/strict";
import { faultArgv, initializeLine, tempDir, testEnv, throughThoth } from "./_harness.ts";

const encoder = new TextEncoder();

function callLine(id: number): Uint8Array {
  return encoder.encode(
    JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "echo", arguments: { n: id } },
    }) + "\n",
  );
}

Deno.test("thoth run relays no more requests once the client stops reading its output", async () => {
  await using dir = await tempDir();
  const log = `${dir.path}/server.log`;
  const [command, ...args] = throughThoth(faultArgv(["--log", log]), ["--agent-id", "deaf"]);
  const child = new Deno.Command(command!, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: testEnv(),
  }).spawn();
  let stderr = "";
  const stderrDone = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) stderr += decoder.decode(chunk, { stream: true });
  })();
  const writer = child.stdin.getWriter();
  // Killed if it runs on with its input open: the session must end by itself.
  const guard = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 30_000);
  let status: Deno.CommandStatus;
  try {
    await writer.write(encoder.encode(initializeLine(1)));
    const reader = child.stdout.getReader();
    let first = "";
    const decoder = new TextDecoder();
    while (!first.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      first += decoder.decode(value, { stream: true });
    }
    assert.match(first, /"id":1,"result"/, "the server answered initialize");
    // The client stops reading: its end of thoth's stdout is closed.
    await reader.cancel();
    await writer.write(callLine(2));
    while (!/cannot write to the client/.test(stderr) && !(await exited(child))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Sent after thoth found the client gone: none of these may reach the server.
    for (const id of [3, 4]) await writer.write(callLine(id)).catch(() => {});
    status = await child.status;
  } finally {
    clearTimeout(guard);
    await writer.close().catch(() => {});
    await stderrDone.catch(() => {});
  }
  const received = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
  const calls = received.filter((m) => m.method === "tools/call").map((m) => m.id);
  assert.deepEqual(calls, [2], "only the call sent before the broken pipe reached the server");
  assert.equal(status.signal, null, `thoth ended the session by itself; stderr:\n${stderr}`);
  assert.equal(status.code, 0, stderr);
  const notes = stderr.match(/cannot write to the client/g) ?? [];
  assert.equal(notes.length, 1, stderr);
  assert.match(stderr, /relays none of its requests from now on/);
});

/** Whether the child has exited, without waiting for it. */
async function exited(child: Deno.ChildProcess): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = await Promise.race([
    child.status.then(() => true),
    new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), 0)),
  ]);
  clearTimeout(timer);
  return done;
}
