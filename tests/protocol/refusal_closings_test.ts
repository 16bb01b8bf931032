/**
 * What the model is told to do after a refusal fits what happened: after a
 * person's denial, not to retry (never that the call "needs approval", which
 * invites asking again); after a timeout, that the user can approve it when
 * it is asked again, without the command or the request id that would let a
 * model with a shell approve its own call; after a failed tool listing, that
 * it is a technical failure, not the policy's verdict. A BLOCK leaves how to
 * review the decision to thoth's stderr line for the person.
 */
import assert from "node:assert/strict";
import {
  blockedText,
  LISTING_FAILED_RULE,
  listingFailedText,
  notApprovedText,
  type RefusalFacts,
} from "../../src/protocol/responses.ts";
import { LISTING_FAILED } from "../../src/policy/evaluate.ts";

const STEP: RefusalFacts = {
  server: "fs",
  tool: "write_file",
  ruleIds: ["destructive"],
  reasons: ['rule "destructive": the tool declares it may destroy data'],
  decisionId: "d-7",
};

/** Words that hand the model a way to approve its own call, or ask it to seek approval. */
const SELF_APPROVAL = /thoth approvals|approve <id>|\bwatch\b|needs approval/;

Deno.test("notApprovedText() tells the model not to retry a call a person denied, and keeps their words", () => {
  const text = notApprovedText(STEP, {
    kind: "denied",
    channel: "queue",
    why: 'a person denied it, saying "not on prod"',
  });
  assert.match(
    text,
    /and a person denied it, saying "not on prod"\. Decision d-7\. Do not retry this call; tell the user it was denied\.$/,
  );
  assert.doesNotMatch(text, SELF_APPROVAL, text);
  // The rule is named once: its reason does not repeat it.
  assert.match(text, /rule "destructive" \(the tool declares it may destroy data\)/);
});

Deno.test("notApprovedText() closes each outcome in its own words", () => {
  const closings: [string, string | undefined, RegExp][] = [
    ["dismissed", "elicitation", /tell the user the approval prompt was dismissed/],
    [
      "timeout",
      "elicitation",
      /no one approved it in time; they can approve it when it is asked again\.$/,
    ],
    [
      "timeout",
      "queue",
      /they can approve it from a terminal when it is asked again \(thoth's message in the MCP client's log says how\)\.$/,
    ],
    ["cancelled", "queue", /it was withdrawn before it was approved\.$/],
    [
      "error",
      "dialog",
      /it could not be approved here \(thoth's messages in the MCP client's log say why\)\.$/,
    ],
  ];
  for (const [kind, channel, closing] of closings) {
    const text = notApprovedText(STEP, {
      kind: kind as "timeout",
      channel,
      why: "no one answered within 45 s, so the request timed out",
    });
    assert.match(text, closing, text);
    assert.match(text, /Do not retry it automatically/, text);
    assert.doesNotMatch(text, SELF_APPROVAL, text);
  }
  // A reason given in words only (no kind) gets a closing true of every outcome.
  const plain = notApprovedText(STEP, "no approval channel is available here");
  assert.match(plain, /Do not retry it automatically; tell the user it did not run, and why\.$/);
  assert.doesNotMatch(plain, SELF_APPROVAL, plain);
});

Deno.test("blockedText() leaves how to review the decision to thoth's stderr line", () => {
  const text = blockedText({ ...STEP, ruleIds: ["no-sum"], reasons: ["sums are off limits"] });
  assert.doesNotMatch(text, /administrator|thoth audit/, text);
  assert.match(text, /Decision d-7\. /);
  assert.match(text, /thoth's message in the MCP client's log says how to review the decision\.$/);
});

Deno.test("a call blocked because thoth could not list the server's tools is a technical failure, not a governance decision", () => {
  assert.equal(LISTING_FAILED_RULE, LISTING_FAILED, "the same rule id as the policy's");
  const facts = {
    ...STEP,
    ruleIds: [LISTING_FAILED],
    reasons: [
      "thoth could not list the server's tools: the server answered its tools/list with " +
      "error -32603; the tool's annotations (destructiveHint, readOnlyHint) are unknown",
    ],
  };
  const text = blockedText(facts);
  assert.equal(text, listingFailedText(facts));
  assert.doesNotMatch(text, /governance decision/, text);
  assert.match(text, /neither a tool failure nor a policy decision/);
  assert.match(text, /could not list the server's tools/);
  assert.match(text, /rule "thoth\.listing_failed"/);
  assert.match(text, /Decision d-7\./);
  assert.match(text, /do not retry this call right away/);
  // Blocked by a policy rule as well: a governance decision after all.
  const both = blockedText({ ...facts, ruleIds: ["no-writes", LISTING_FAILED] });
  assert.match(both, /This is a governance decision/);
});
