/**
 * The stderr line of a blocked call is one line: the call, the decision id,
 * the rule named once ("rules" for several), the reasons, and the command
 * that shows the decision when its record was written. Blocks that write a
 * line of their own (a failed enforcer, an unwritable audit log, a decision
 * too late) get none.
 */
import assert from "node:assert/strict";
import { blockNote, blockNoteWanted } from "../../src/proxy/block_note.ts";
import { enforcerFailedVerdict } from "../../src/enforcer/enforcer.ts";
import { DECISION_TIMEOUT_RULE } from "../../src/enforcer/decision_timeout.ts";
import { AUDIT_UNWRITABLE_RULE } from "../../src/protocol/responses.ts";

const CALL = { server: "fs", tool: "write_file" };

Deno.test("blockNote() names the call, the decision, the rule once and how to look it up", () => {
  const line = blockNote(
    CALL,
    {
      decisionId: "d-1",
      ruleIds: ["no-writes"],
      reasons: ['rule "no-writes": writes are refused'],
    },
    { auditCommand: "THOTH_HOME='/srv/t' thoth audit", recorded: true },
  );
  assert.equal(
    line,
    'blocked tool "write_file" on server "fs" (decision d-1, rule no-writes): writes are refused; ' +
      `see it with "THOTH_HOME='/srv/t' thoth audit show --decision-id d-1"`,
  );
});

Deno.test("blockNote() says rules when several are named", () => {
  const line = blockNote(
    CALL,
    {
      decisionId: "d-4",
      ruleIds: ["no-writes", "no-fs"],
      reasons: ['rule "no-writes": writes are refused', 'rule "no-fs": fs is off'],
    },
    { auditCommand: "thoth audit", recorded: false },
  );
  assert.equal(
    line,
    'blocked tool "write_file" on server "fs" (decision d-4, rules no-writes, no-fs): ' +
      "writes are refused; fs is off",
  );
});

Deno.test("blockNote() stays one line, and promises no record it did not write", () => {
  const line = blockNote(
    { server: "fs\nthoth: approved", tool: "x" },
    { decisionId: "d-2", ruleIds: [], reasons: ["line one\nline two"] },
    { auditCommand: "thoth audit", recorded: false, chosenInSampling: true },
  );
  assert.ok(!line.includes("\n"), line);
  assert.doesNotMatch(line, /thoth audit show/);
  assert.match(
    line,
    /^blocked tool "x" on server "fs\?thoth: approved", which a model chose in a sampling answer, \(decision d-2, policy\): line one\?line two$/,
  );
});

Deno.test("blockNoteWanted() leaves the blocks that have their own line to it", () => {
  assert.equal(blockNoteWanted(["no-writes"]), true);
  assert.equal(blockNoteWanted(["thoth.listing_failed"]), true);
  assert.equal(blockNoteWanted(["thoth.own_files"]), true);
  assert.equal(blockNoteWanted(enforcerFailedVerdict("d-3").ruleIds), false);
  assert.equal(blockNoteWanted([DECISION_TIMEOUT_RULE]), false);
  assert.equal(blockNoteWanted([AUDIT_UNWRITABLE_RULE]), false);
});
