import assert from "node:assert/strict";
import {
  DROPPED_OFFER,
  inputRequestsOf,
  MAX_OFFERED_TOOLS,
  offeredTools,
  sampledOffers,
  stricterAnnotations,
  STRICTEST_ANNOTATIONS,
} from "../../src/protocol/offered_tools.ts";

const sampling = (tools: unknown) => ({
  method: "sampling/createMessage",
  params: { messages: [], maxTokens: 1, tools },
});

Deno.test("sampledOffers() reads the tools each sampling request in inputRequests offered, by key", () => {
  const offers = sampledOffers({
    s1: sampling([{ name: "zap", annotations: { destructiveHint: true } }, { name: "look" }]),
    e1: { method: "elicitation/create", params: { message: "ok?" } },
    r1: { method: "roots/list" },
    bad: sampling("zap"),
    odd: { method: "Sampling/CreateMessage", params: { tools: [{ name: "x" }] } },
  });
  assert.deepEqual([...offers.keys()], ["s1"]);
  assert.deepEqual(offers.get("s1")?.get("zap"), { destructiveHint: true });
  assert.deepEqual(offers.get("s1")?.get("look"), {});
});

Deno.test("sampledOffers() counts a tool offered twice at its stricter hints", () => {
  const offers = sampledOffers({
    s1: sampling([
      { name: "zap", annotations: { destructiveHint: false, readOnlyHint: true } },
      { name: "zap", annotations: { destructiveHint: true } },
    ]),
  });
  assert.deepEqual(offers.get("s1")?.get("zap"), { destructiveHint: true });
});

Deno.test("inputRequestsOf() finds inputRequests only as an object", () => {
  assert.deepEqual(inputRequestsOf({ inputRequests: { s1: {} } }), { s1: {} });
  for (const value of [{ inputRequests: [] }, { inputRequests: "s1" }, {}, null, "x"]) {
    assert.equal(inputRequestsOf(value), undefined);
  }
});

Deno.test("stricterAnnotations() keeps each hint at its stricter, and the strictest reading wins over any listing", () => {
  assert.deepEqual(
    stricterAnnotations({ readOnlyHint: true, destructiveHint: false }, { readOnlyHint: false }),
    { readOnlyHint: false },
  );
  assert.deepEqual(stricterAnnotations({ title: "Zap" }, undefined), { title: "Zap" });
  assert.equal(stricterAnnotations(undefined, undefined), undefined);
  assert.deepEqual(
    stricterAnnotations(
      { title: "Look", readOnlyHint: true, destructiveHint: false, idempotentHint: true },
      STRICTEST_ANNOTATIONS,
    ),
    {
      title: "Look",
      destructiveHint: true,
      openWorldHint: true,
      readOnlyHint: false,
      idempotentHint: false,
    },
  );
  // A copy: the shared reading is never handed out to be changed.
  assert.notEqual(stricterAnnotations(undefined, STRICTEST_ANNOTATIONS), STRICTEST_ANNOTATIONS);
});

Deno.test("offeredTools() drops an offer of more than MAX_OFFERED_TOOLS tools", () => {
  const tools = (count: number) =>
    Array.from(
      { length: count },
      (_, i) => ({ name: `t${i}`, annotations: { readOnlyHint: true } }),
    );
  assert.equal(offeredTools(tools(MAX_OFFERED_TOOLS)).size, MAX_OFFERED_TOOLS);
  assert.equal(offeredTools(tools(MAX_OFFERED_TOOLS + 1)), DROPPED_OFFER);
  const offers = sampledOffers({
    s1: { method: "sampling/createMessage", params: { tools: tools(MAX_OFFERED_TOOLS + 1) } },
  });
  assert.equal(offers.get("s1"), DROPPED_OFFER);
  assert.equal(DROPPED_OFFER.size, 0);
});
