/**
 * A server that exits at once breaks the pipe before thoth sees it exit:
 * thoth then says it exited (and with what code), not that it "no longer
 * reads its input", neither of the pipe nor of the request it could not
 * deliver. A server that closes its input and keeps running is still told
 * of by the broken pipe and the undelivered request. runProxy() in process, against real
 * `sh` servers.
 */
import assert from "node:assert/strict";
import { initializeRequest, tempDir } from "../e2e/_harness.ts";
import { proxiedSession } from "./_proxied_session.ts";

/** Waits for `path` to exist: the server has closed its input. */
async function waitFor(path: string): Promise<void> {
  for (let waited = 0;; waited += 10) {
    try {
      await Deno.stat(path);
      return;
    } catch {
      assert.ok(waited < 10_000, `the server wrote ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const BROKE = /^cannot write to the MCP server|^could not deliver request 1 .*no longer reads/;

Deno.test("runProxy() says a server that exits right after closing its input exited, not that it stopped reading", async () => {
  await using dir = await tempDir();
  const closed = `${dir.path}/closed`;
  // Closes its input (thoth's next write breaks the pipe), then exits 50 ms later.
  const s = proxiedSession(
    ["sh", "-c", 'exec 0<&-; : > "$1"; sleep 0.05; exit 3', "sh", closed],
    { server: "exits-at-start", eager: true },
  );
  await waitFor(closed);
  await s.send(initializeRequest(1));
  const answer = await s.next(5000);
  assert.match(JSON.stringify(answer["error"]), /The MCP server exited \(code 3\)/);
  const { result } = await s.end();
  assert.equal(result.exitCode, 3);
  assert.deepEqual(s.notes.filter((n) => BROKE.test(n)), [], s.notes.join("\n"));
  assert.ok(
    s.notes.some((n) => /^the MCP server exited with code 3/.test(n)),
    s.notes.join("\n"),
  );
});

Deno.test("runProxy() still says the pipe broke when the server closed its input and keeps running", async () => {
  await using dir = await tempDir();
  const closed = `${dir.path}/closed`;
  const s = proxiedSession(
    ["sh", "-c", 'exec 0<&-; : > "$1"; sleep 30', "sh", closed],
    { server: "closed-input", eager: true, graceMs: 500 },
  );
  await waitFor(closed);
  await s.send(initializeRequest(1));
  const answer = await s.next(5000);
  assert.match(JSON.stringify(answer["error"]), /no longer reads its input/);
  await s.end();
  assert.equal(s.notes.filter((n) => BROKE.test(n)).length, 2, s.notes.join("\n"));
});
