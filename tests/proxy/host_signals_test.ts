import assert from "node:assert/strict";
import { type CoreSignal, HostSignals } from "../../src/proxy/host_signals.ts";

/** A HostSignals whose host and lone signals are logged in order. */
function logged(waitMs?: number) {
  const log: string[] = [];
  const host = new HostSignals((signal: CoreSignal) => log.push(`host ${signal}`), waitMs);
  const alone = (signal: CoreSignal) => () => log.push(`alone ${signal}`);
  return { log, host, alone };
}

Deno.test("a stop before the host's check waits for it, then goes to the host that vouched", () => {
  const { log, host, alone } = logged(60_000);
  assert.equal(host.signal("SIGTERM", alone("SIGTERM")), true, "held counts as sent");
  assert.equal(host.signal("SIGKILL", alone("SIGKILL")), true);
  assert.deepEqual(log, [], "nothing is sent before the host has answered");
  host.checked(true);
  assert.deepEqual(log, ["host SIGTERM", "host SIGKILL"]);
  assert.equal(host.signal("SIGTERM", alone("SIGTERM")), true);
  assert.deepEqual(log.at(-1), "host SIGTERM", "later signals go straight to the host");
});

Deno.test("held signals go to the server alone when the host will not signal it", () => {
  const { log, host, alone } = logged(60_000);
  host.signal("SIGTERM", alone("SIGTERM"));
  host.checked(false);
  assert.deepEqual(log, ["alone SIGTERM"]);
  assert.equal(host.signal("SIGKILL", alone("SIGKILL")), false, "the caller signals it itself");
  assert.deepEqual(log, ["alone SIGTERM"]);
});

Deno.test("only the host's first answer counts", () => {
  const { log, host, alone } = logged(60_000);
  host.checked(false);
  host.checked(true);
  assert.equal(host.signal("SIGTERM", alone("SIGTERM")), false);
  assert.deepEqual(log, []);
});

Deno.test("a stop is not left waiting for a host that never answers", async () => {
  const { log, host, alone } = logged(30);
  host.signal("SIGTERM", alone("SIGTERM"));
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.deepEqual(log, ["alone SIGTERM"]);
  // A late answer sends nothing twice, and decides the signals after it.
  host.checked(true);
  assert.deepEqual(log, ["alone SIGTERM"]);
  host.signal("SIGKILL", alone("SIGKILL"));
  assert.deepEqual(log, ["alone SIGTERM", "host SIGKILL"]);
});
