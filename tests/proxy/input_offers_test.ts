import assert from "node:assert/strict";
import {
  InputOffers,
  MAX_INPUT_SCOPES,
  MAX_REMEMBERED_TOOLS,
} from "../../src/proxy/input_offers.ts";
import { DROPPED_OFFER, MAX_OFFERED_TOOLS } from "../../src/protocol/offered_tools.ts";
import type { ToolAnnotations } from "../../src/policy/tool_call.ts";

const offer = (key: string, tool: string, hints: ToolAnnotations) =>
  new Map([[key, new Map([[tool, hints]])]]);

/** An offer under `key` of `count` tools named `prefix0`, `prefix1`, … */
const many = (key: string, prefix: string, count: number) =>
  new Map([[key, new Map(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, {}]))]]);

Deno.test("InputOffers keeps each scope's offers apart: a round trip's, a task's", () => {
  const offers = new InputOffers();
  offers.beginRound("a", offer("s1", "zap", { destructiveHint: true }));
  offers.beginRound("b", offer("s1", "calc", { readOnlyHint: true }));
  offers.rememberTask("T1", offer("s1", "look", { readOnlyHint: true }));
  assert.equal(offers.offer({ round: "a" }, "s1")?.get("calc"), undefined);
  assert.deepEqual(offers.offer({ round: "b" }, "s1")?.get("calc"), { readOnlyHint: true });
  assert.equal(offers.offer({ task: "T2" }, "s1"), undefined);
  assert.deepEqual(offers.offer({ task: "T1" }, "s1")?.get("look"), { readOnlyHint: true });
  assert.equal(offers.offer({ round: "T1" }, "s1"), undefined, "a round trip is no task");
});

Deno.test("InputOffers lets an offer serve every retry until the round trip ends", () => {
  const offers = new InputOffers();
  offers.beginRound("a", offer("s1", "calc", {}));
  assert.notEqual(offers.offer({ round: "a" }, "s1"), undefined);
  assert.notEqual(offers.offer({ round: "a" }, "s1"), undefined, "read twice");
  offers.endRound("a");
  assert.equal(offers.offer({ round: "a" }, "s1"), undefined, "gone once answered");
  assert.equal(offers.size, 0);
});

Deno.test("InputOffers keeps a round trip two identical requests share until both end", () => {
  const offers = new InputOffers();
  offers.beginRound("r", offer("s1", "calc", {}));
  offers.beginRound("r", offer("s1", "calc", {}));
  offers.endRound("r");
  assert.notEqual(offers.offer({ round: "r" }, "s1"), undefined);
  offers.endRound("r");
  assert.equal(offers.offer({ round: "r" }, "s1"), undefined);
});

Deno.test("InputOffers adds a key seen again at the stricter hints", () => {
  const offers = new InputOffers();
  offers.rememberTask("T", offer("s1", "zap", { destructiveHint: true }));
  offers.rememberTask("T", offer("s1", "zap", { destructiveHint: false, readOnlyHint: true }));
  offers.rememberTask("T", offer("s1", "look", {}));
  const seen = offers.offer({ task: "T" }, "s1");
  assert.deepEqual(seen?.get("zap"), { destructiveHint: true });
  assert.deepEqual(seen?.get("look"), {});
});

Deno.test("InputOffers forgets a task's offers when it ends", () => {
  const offers = new InputOffers();
  offers.rememberTask("T1", new Map([["a", new Map()], ["b", new Map()]]));
  offers.rememberTask("T2", offer("a", "zap", {}));
  offers.endTask("T1");
  assert.equal(offers.size, 1);
  assert.equal(offers.offer({ task: "T1" }, "a"), undefined);
  assert.notEqual(offers.offer({ task: "T2" }, "a"), undefined);
});

Deno.test("InputOffers holds at most MAX_INPUT_SCOPES, the oldest going first", () => {
  const offers = new InputOffers();
  for (let i = 0; i <= MAX_INPUT_SCOPES; i++) offers.rememberTask(`T${i}`, offer("s", "zap", {}));
  assert.equal(offers.size, MAX_INPUT_SCOPES);
  assert.equal(offers.offer({ task: "T0" }, "s"), undefined, "the oldest went");
  assert.notEqual(offers.offer({ task: `T${MAX_INPUT_SCOPES}` }, "s"), undefined);
  offers.clear();
  assert.equal(offers.size, 0);
  assert.equal(offers.tools, 0);
});

Deno.test("InputOffers counts tools, not offers: past MAX_REMEMBERED_TOOLS the oldest scopes go", () => {
  const offers = new InputOffers();
  const per = MAX_OFFERED_TOOLS;
  const rounds = MAX_REMEMBERED_TOOLS / per + 3;
  for (let i = 0; i < rounds; i++) offers.beginRound(`r${i}`, many("k", "t", per));
  assert.ok(offers.tools <= MAX_REMEMBERED_TOOLS, `${offers.tools} tools kept`);
  assert.equal(offers.offer({ round: "r0" }, "k"), undefined, "the oldest went");
  assert.equal(offers.offer({ round: `r${rounds - 1}` }, "k")?.size, per);
});

Deno.test("InputOffers drops an offer that grows past MAX_OFFERED_TOOLS, for good", () => {
  const offers = new InputOffers();
  offers.rememberTask("T", many("k", "a", MAX_OFFERED_TOOLS));
  offers.rememberTask("T", many("k", "b", 1));
  assert.equal(offers.offer({ task: "T" }, "k"), DROPPED_OFFER);
  assert.equal(offers.tools, 0);
  offers.rememberTask("T", offer("k", "calc", {}));
  assert.equal(offers.offer({ task: "T" }, "k"), DROPPED_OFFER, "stays dropped");
  offers.rememberTask("T", new Map([["j", DROPPED_OFFER]]));
  assert.equal(offers.offer({ task: "T" }, "j"), DROPPED_OFFER);
});
