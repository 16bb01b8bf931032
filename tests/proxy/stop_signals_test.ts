import assert from "node:assert/strict";
import { signalExitCode, stopSignalOf, stopSignals } from "../../src/proxy/stop_signals.ts";

Deno.test("stop signals: SIGHUP and SIGQUIT stop a session too, each with its own exit code", () => {
  assert.deepEqual(stopSignals("linux"), ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"]);
  assert.deepEqual(stopSignals("windows"), ["SIGINT"]);
  assert.deepEqual(
    stopSignals("darwin").map(signalExitCode),
    [130, 143, 129, 131],
  );
  assert.equal(stopSignalOf("SIGHUP"), "SIGHUP");
  assert.equal(stopSignalOf("toString"), "SIGTERM", "only a stop signal's own name counts");
  assert.equal(stopSignalOf(undefined), "SIGTERM");
});
