import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { emptyLogState, encodeLogStateText, parseLogState } from "../../src/audit/log_state.ts";
import { OwnState } from "../../src/audit/own_state.ts";
import { frontierLength } from "../../src/audit/merkle_frontier.ts";
import type { LogState } from "../../src/audit/log_state.ts";

function sample(): LogState {
  const state = emptyLogState();
  state.size = 5;
  state.last = "ab".repeat(32);
  state.segment = "seg-000000000000-2026-01-02.jsonl";
  state.segmentBytes = 900;
  state.segmentDay = "2026-01-02";
  state.frontier = Array.from({ length: frontierLength(5) }, (_, i) => `${i}c`.repeat(32));
  state.checkpointRecord = { segment: state.segment, offset: 300 };
  state.lost = { seq: 2, counted: 9, held: 2 };
  state.mac = "ef".repeat(32);
  return state;
}

Deno.test("OwnState.parse() gives what parseLogState() gives for the text it wrote", () => {
  const own = new OwnState();
  const state = sample();
  const text = encodeLogStateText(state);
  own.remember(text, state);
  assert.deepEqual(own.parse(text), parseLogState(text));
});

Deno.test("OwnState.parse() parses any other text, such as another writer's state", () => {
  const own = new OwnState();
  const state = sample();
  own.remember(encodeLogStateText(state), state);
  const other = { ...sample(), size: 6, frontier: [`9d`.repeat(32), `8e`.repeat(32)] };
  const text = encodeLogStateText(other);
  assert.deepEqual(own.parse(text), parseLogState(text));
  assert.equal(own.parse(text)?.size, 6);
  assert.equal(own.parse("damaged"), undefined);
});

Deno.test("OwnState.parse() gives a fresh copy each time, untouched by the state written", () => {
  const own = new OwnState();
  const state = sample();
  const text = encodeLogStateText(state);
  own.remember(text, state);
  state.size = 99;
  state.frontier.push("00".repeat(32));
  const first = own.parse(text)!;
  first.size = 7;
  first.frontier.pop();
  first.checkpointRecord!.offset = 1;
  assert.deepEqual(own.parse(text), parseLogState(text));
});

Deno.test("OwnState.parse() parses a text whose state JSON would not give back as it was", () => {
  for (
    const change of [
      (s: LogState) => (s.checkpointAt = Number.NaN), // written as null: no state
      (s: LogState) => Object.assign(s, { lost: undefined }), // left out
      (s: LogState) => ((s.checkpointRecord as unknown as { offset: unknown }).offset = "x"),
    ]
  ) {
    const own = new OwnState();
    const state = sample();
    change(state);
    const text = encodeLogStateText(state);
    own.remember(text, state);
    assert.deepEqual(own.parse(text), parseLogState(text));
  }
});

Deno.test("openAuditLog() writers taking turns each chain onto the other's records", async () => {
  const home = await Deno.makeTempDir({ prefix: "thoth-own-state-" });
  try {
    const a = await openAuditLog({ thothHome: home, checkpointIntervalMs: 3_600_000 });
    const b = await openAuditLog({ thothHome: home, checkpointIntervalMs: 3_600_000 });
    try {
      for (let i = 0; i < 6; i++) {
        const log = i % 2 === 0 ? a : b;
        // Twice each: the second batch reads back the state its writer wrote.
        for (let j = 0; j < 2; j++) {
          await log.appendMany([{
            type: "session_end",
            session: `s-${i}-${j}`,
            exitCode: 0,
            signal: null,
          }]);
        }
      }
    } finally {
      await a.close();
      await b.close();
    }
    const dir = `${home}/audit`;
    const lines: { seq: number; type: string }[] = [];
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("seg-"))
      .sort();
    for (const name of names) {
      for (const line of Deno.readTextFileSync(`${dir}/${name}`).split("\n")) {
        if (line !== "") lines.push(JSON.parse(line));
      }
    }
    assert.deepEqual(lines.map((l) => l.seq), lines.map((_, i) => i));
    const types = lines.map((l) => l.type);
    assert.equal(types.filter((t) => t === "session_end").length, 12);
    assert.deepEqual(types.filter((t) => t === "state_rebuilt" || t === "tail_taken_in"), []);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
