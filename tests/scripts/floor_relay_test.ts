/**
 * `bench/floor_relay.ts`, the benchmark's floor of a governing relay, as a
 * real subprocess in front of the fault server: it must relay faithfully
 * (lines split across many writes, lines longer than one read) and end with
 * the server's exit code, or the figures `deno task bench` prints for it
 * would describe a relay that does not work.
 */
import assert from "node:assert/strict";
import { DENO, faultArgv, RawPeer } from "../e2e/_harness.ts";
import { floorRelayArgv } from "../../bench/floor_relay_argv.ts";

Deno.test("the floor relay relays split and long lines both ways and ends with the server", async () => {
  const peer = new RawPeer(floorRelayArgv(DENO, faultArgv()));
  // One request at a time: the fault server writes its split answer in pieces.
  const call = async (id: number, method: string, params: unknown) => {
    await peer.send({ jsonrpc: "2.0", id, method, params });
    const message = await peer.next(20_000);
    assert.equal(message["id"], id);
    return message["result"] as Record<string, unknown>;
  };
  const text = (result: Record<string, unknown>) =>
    (result["content"] as { text?: string }[] | undefined)?.[0]?.text;
  try {
    const init = await call(1, "initialize", {});
    assert.equal((init["serverInfo"] as { name?: string }).name, "fault-server");
    // An answer written 7 bytes at a time.
    assert.equal(text(await call(2, "tools/call", { name: "split", arguments: {} })), "split ok ✓");
    // A request longer than one read (64 KiB) reaches the server whole.
    const long = "y".repeat(300 * 1024);
    assert.equal(
      text(await call(3, "tools/call", { name: "echo", arguments: { long } })),
      `echo: ${JSON.stringify({ long })}`,
    );
    const huge = await call(4, "tools/call", { name: "huge", arguments: { bytes: 500 * 1024 } });
    assert.equal(text(huge)?.length, 500 * 1024);
  } finally {
    const status = await peer.finish();
    assert.equal(status.code, 0, peer.stderr);
  }
});
