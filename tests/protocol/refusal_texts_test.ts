/**
 * The refusal texts the model gets say what happened, that it must not
 * retry, and the decision id, and no more: a call refused because thoth's
 * audit log cannot be written says the problem is thoth's audit log on this
 * machine and promises no review of a decision id that may be recorded
 * nowhere; a call that reaches thoth's own files or a client's config gets
 * a short reason, never the profile's path, its contents or the remedy for
 * the person at the machine (stderr and the audit record keep those).
 */
import assert from "node:assert/strict";
import {
  blockedText,
  notApprovedText,
  type RefusalFacts,
  toolUseRefusedText,
} from "../../src/protocol/responses.ts";

const PROFILE = "/home/ana/.thoth";

/** The reasons thoth's own rules carry (long, with this machine's paths and the remedy). */
const OWN_FILES_REASON = `the arguments reach thoth's own profile folder "${PROFILE}" (its audit ` +
  "log and keys, approval answers and progressive counters); thoth's own files are never " +
  "forwarded, in any mode. To let this server work on files, give it folders that do not hold " +
  "this one (or move the profile out of its reach with THOTH_HOME); manage thoth's files with " +
  "thoth's own commands. A text that names the profile's path (a file a server writes) counts " +
  "too: write such a file yourself";
const CLIENT_CONFIG_REASON = `the arguments reach an MCP client's config file ("${PROFILE}/../` +
  ".claude.json\" or another client's): a server that changes one could take itself out of " +
  "thoth's governance, and one that reads one sees other servers' credentials; thoth never " +
  'forwards such a call, in any mode. Change client configs yourself, with "thoth wrap-config" ' +
  "or the client. A folder that holds one (moved or listed) and a text that names one of these " +
  "paths (a README a server writes) count too: write such a file yourself";

function facts(ruleIds: string[], reasons: string[]): RefusalFacts {
  return { server: "fs", tool: "write_file", ruleIds, reasons, decisionId: "d-7" };
}

Deno.test("a call refused for an unwritable audit log names thoth's audit log, not a review of its id", () => {
  const unwritable = facts(["audit.unwritable"], [
    "the audit log cannot be written, and thoth does not act without evidence",
  ]);
  const texts = [
    blockedText(unwritable),
    notApprovedText(
      facts(["writes"], ["writes need a person"]),
      // An approval refused for the log: its reason as `session_audit.ts` gives it.
      "refused (audit.unwritable): the audit log cannot be written, and thoth does not act without evidence",
    ),
  ];
  for (const text of texts) {
    assert.doesNotMatch(text, /administrator can review/, text);
    assert.match(
      text,
      /thoth cannot record this call in its audit log on this machine \(the log or its spool cannot be written\)/,
      text,
    );
    assert.match(text, /Decision d-7 \(it may not be recorded\)/, text);
    // The rule's code is for stderr and the audit record.
    assert.doesNotMatch(text, /audit\.unwritable/, text);
    assert.match(text, /do not retry this call now/, text);
    assert.match(text, /^thoth did not run tool "write_file" on server "fs": /, text);
    assert.ok(text.length < 400, `${text.length}: ${text}`);
  }
});

Deno.test("a call that reaches thoth's own files or a client's config is refused in short, without paths", () => {
  const cases = [
    { rule: "thoth.own_files", reason: OWN_FILES_REASON, said: /reach thoth's own files/ },
    {
      rule: "thoth.client_config",
      reason: CLIENT_CONFIG_REASON,
      said: /reach an MCP client's configuration/,
    },
  ];
  for (const { rule, reason, said } of cases) {
    const f = facts([rule], [reason]);
    for (const text of [blockedText(f), toolUseRefusedText(f)]) {
      assert.ok(!text.includes(PROFILE), text);
      assert.doesNotMatch(text, /THOTH_HOME|audit log and keys|wrap-config|yourself/, text);
      assert.match(text, said, text);
      assert.match(text, /never forwarded, in any mode/, text);
      assert.match(text, new RegExp(`rule "${rule.replace(".", "\\.")}"`), text);
      assert.match(text, /Decision d-7\./, text);
      assert.ok(text.length < 400, `${text.length}: ${text}`);
    }
    assert.match(blockedText(f), /do not retry this call/);
  }
});

Deno.test("a policy's own block names its rule, its reason, and where the person learns how to review it", () => {
  const text = blockedText(facts(["no-writes"], ['rule "no-writes": writes are refused']));
  assert.equal(
    text,
    'thoth blocked this call to tool "write_file" on server "fs" by rule "no-writes" (writes are ' +
      "refused). Decision d-7. This is a governance decision, not a tool failure: do not retry " +
      "this call or work around it; tell the user it was blocked and, if they need it, to ask " +
      "whoever manages thoth's policy (their admin); thoth's message in the MCP client's log " +
      "says how to review the decision.",
  );
});

Deno.test("a call no approval channel could ask about tells the model what went wrong, without this machine's paths", () => {
  const step = facts(["writes"], ["writes need a person"]);
  const cases: [string, RegExp][] = [
    [
      'the queue approval channel failed (the approval queue "/home/ana/.thoth/approvals" is a file, not a folder)',
      /the queue approval channel failed \(the approval queue "…" is a file, not a folder\)/,
    ],
    [
      'the queue approval channel failed (the answer file "C:\\Users\\ana\\.thoth\\approvals\\x.answer.json" is not one: it has 2 hard links)',
      /the answer file "…" is not one: it has 2 hard links/,
    ],
    [
      'no approval channel could reach a person: queue: cannot use "/home/ana/.thoth/approvals"',
      /no approval channel could reach a person: queue: cannot use "…"/,
    ],
  ];
  for (const [why, shown] of cases) {
    const text = notApprovedText(step, why);
    assert.match(text, shown);
    assert.doesNotMatch(text, /\/home\/ana|Users|\.thoth/, text);
    assert.match(text, /Decision d-7\. Do not retry it automatically/);
  }
  // A reason without a path stays as it is.
  const timedOut = notApprovedText(step, 'no one answered within 45 s; rule "writes"');
  assert.match(timedOut, /and no one answered within 45 s; rule "writes"\. Decision d-7/);
});
