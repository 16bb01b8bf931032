import assert from "node:assert/strict";
import { probeUrl } from "../../src/doctor/probe_url.ts";

Deno.test("probeUrl() reports a loopback server that answers as reachable", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("not here", { status: 404 }),
  );
  try {
    const result = await probeUrl(`http://127.0.0.1:${server.addr.port}/`, 2000);
    assert.deepEqual(result, { reachable: true, detail: "HTTP 404" });
  } finally {
    await server.shutdown();
  }
});

Deno.test("probeUrl() reports a closed port as unreachable", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const result = await probeUrl(`http://127.0.0.1:${port}/`, 2000);
  assert.equal(result.reachable, false);
  assert.ok(result.detail.length > 0);
});

Deno.test("probeUrl() gives up after the timeout", async () => {
  let release = () => {};
  const hold = new Promise<void>((resolve) => release = resolve);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async () => {
    await hold;
    return new Response("late");
  });
  try {
    const result = await probeUrl(`http://127.0.0.1:${server.addr.port}/`, 100);
    assert.deepEqual(result, { reachable: false, detail: "timed out after 100 ms" });
  } finally {
    release();
    await server.shutdown();
  }
});
