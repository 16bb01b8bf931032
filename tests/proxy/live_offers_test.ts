import assert from "node:assert/strict";
import { LiveOffers, type OfferHolder } from "../../src/proxy/live_offers.ts";
import { MAX_REMEMBERED_TOOLS } from "../../src/proxy/input_offers.ts";
import { DROPPED_OFFER, MAX_OFFERED_TOOLS } from "../../src/protocol/offered_tools.ts";

/** A holder of an offer of `count` tools. */
const holding = (count: number): OfferHolder => ({
  offered: new Map(Array.from({ length: count }, (_, i) => [`t${i}`, {}])),
});

Deno.test("LiveOffers counts each offer held and frees it once released", () => {
  const offers = new LiveOffers();
  const a = holding(3);
  const b = holding(5);
  offers.hold(a);
  offers.hold(b);
  offers.hold(a); // held again: counted once
  assert.deepEqual([offers.size, offers.tools], [2, 8]);
  offers.release(a);
  offers.release(a);
  assert.deepEqual([offers.size, offers.tools], [1, 5]);
  offers.hold({});
  offers.hold({ offered: DROPPED_OFFER });
  assert.deepEqual([offers.size, offers.tools], [1, 5], "an empty offer takes no room");
  offers.clear();
  assert.deepEqual([offers.size, offers.tools], [0, 0]);
});

Deno.test("LiveOffers forgets the oldest offers past the bound, and keeps the newest", () => {
  const offers = new LiveOffers();
  const fit = MAX_REMEMBERED_TOOLS / MAX_OFFERED_TOOLS;
  const holders = Array.from({ length: fit + 2 }, () => holding(MAX_OFFERED_TOOLS));
  for (const holder of holders.slice(0, fit)) offers.hold(holder);
  assert.equal(offers.tools, MAX_REMEMBERED_TOOLS);
  assert.ok(holders.slice(0, fit).every((holder) => holder.offered !== DROPPED_OFFER));
  // Held again, the first becomes the newest: the second goes first.
  offers.hold(holders[0]!);
  offers.hold(holders[fit]!);
  assert.equal(holders[1]!.offered, DROPPED_OFFER, "forgotten: read at its strictest");
  assert.notEqual(holders[0]!.offered, DROPPED_OFFER);
  assert.equal(offers.tools, MAX_REMEMBERED_TOOLS);
  // A released holder makes room: no other is forgotten.
  offers.release(holders[2]!);
  offers.hold(holders[fit + 1]!);
  assert.notEqual(holders[3]!.offered, DROPPED_OFFER);
  assert.ok(offers.tools <= MAX_REMEMBERED_TOOLS);
});
