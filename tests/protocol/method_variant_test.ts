import assert from "node:assert/strict";
import { GOVERNED_METHODS, governedVariant } from "../../src/protocol/method_variant.ts";

Deno.test("governedVariant() reads a method as a lenient server may: case, white space, invisible characters", () => {
  const cases: [string, string][] = [
    ["Tools/Call", "tools/call"],
    ["TOOLS/CALL", "tools/call"],
    ["tools/call ", "tools/call"],
    ["\ttools/call\n", "tools/call"],
    ["tools/call\u00a0", "tools/call"],
    ["tools/call\u200b", "tools/call"],
    ["\u2060tools/call", "tools/call"],
    ["tools/\u00adcall", "tools/call"],
    ["\ufefftools/call", "tools/call"],
    ["tools/call\u0000", "tools/call"],
    ["tool\u017f/call", "tools/call"],
    ["resources/read\u034f", "resources/read"],
    ["Resources/Subscribe", "resources/subscribe"],
    ["prompts/GET", "prompts/get"],
    ["Completion/Complete", "completion/complete"],
  ];
  for (const [method, governed] of cases) {
    assert.equal(governedVariant(method), governed, JSON.stringify(method));
  }
});

Deno.test("governedVariant() leaves the governed methods and every other method alone", () => {
  for (const method of GOVERNED_METHODS) assert.equal(governedVariant(method), undefined, method);
  for (
    const method of [
      "ping",
      "initialize",
      "tools/list",
      "resources/list",
      "resources/templates/list",
      "resources/unsubscribe",
      "logging/setLevel",
      "notifications/cancelled",
      "tools/ call",
      "tools/calls",
      "tools/cal",
      "t\u043e\u043els/call", // Cyrillic look-alikes: no server folds them to ASCII
      "",
    ]
  ) {
    assert.equal(governedVariant(method), undefined, JSON.stringify(method));
  }
});
