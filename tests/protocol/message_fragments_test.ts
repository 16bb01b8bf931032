import assert from "node:assert/strict";
import { findIdInFragments, readFragments } from "../../src/protocol/message_fragments.ts";
import { threadCpu } from "../_thread_cpu.ts";

Deno.test("findIdInFragments() finds ids where serializers put them, and nowhere else", () => {
  assert.equal(findIdInFragments('{"jsonrpc":"2.0","id":7,"result":{"a', ""), 7);
  assert.equal(findIdInFragments('{"id":"req-1","result"', ""), "req-1");
  assert.equal(findIdInFragments('{"result":{"x', 'yz"}},"jsonrpc":"2.0","id":12}'), 12);
  assert.equal(
    findIdInFragments('{"result":{"x', 'yz","id":12}}'),
    undefined,
    "a nested id is not the message id",
  );
  assert.equal(findIdInFragments('{"result":{"id":3,', 'zz"}}'), undefined);
});

Deno.test("readFragments() tells a request from a response, and says so only when it sees it", () => {
  const kind = (head: string, tail: string) => readFragments(head, tail);
  assert.deepEqual(kind('{"jsonrpc":"2.0","id":1,"method":"sampling/create', 'x"}]}}'), {
    id: 1,
    kind: "request",
  });
  assert.deepEqual(kind('{"jsonrpc":"2.0","id":1,"params":{"m', '"}}'), { id: 1, kind: "request" });
  assert.deepEqual(kind('{"result":{"x', 'y"}},"method":"m","id":3}'), { id: 3, kind: "request" });
  assert.deepEqual(kind('{"jsonrpc":"2.0","id":"a","result":{"x', 'y"}}'), {
    id: "a",
    kind: "response",
  });
  assert.deepEqual(kind('{"jsonrpc":"2.0","id":2,"error":{"code', '"}}'), {
    id: 2,
    kind: "response",
  });
  assert.deepEqual(kind('{"jsonrpc":"2.0","id":1,"_meta":{"a', '"},"params":{}}'), {
    id: 1,
    kind: "unknown",
  });
  // A log line quoting a message is no message; a repeated id is no id.
  assert.deepEqual(kind('[debug] {"jsonrpc":"2.0","id":1,"result":{', '"}},"id":1}'), {
    id: undefined,
    kind: "unknown",
  });
  assert.deepEqual(kind('{"jsonrpc":"2.0","result":{"x', 'y"},"id":1,"id":2}'), {
    id: undefined,
    kind: "response",
  });
  assert.deepEqual(kind('{"id":1,"result":{"x', 'y"},"id":1}').id, undefined);
  // An id past 2^53 keeps its digits.
  const long = readFragments('{"jsonrpc":"2.0","id":9007199254740993,"result":{', "}}").id;
  assert.equal(JSON.stringify({ id: long }), '{"id":9007199254740993}');
});

Deno.test("readFragments() reads trailing members anywhere in the tail, in linear time", () => {
  const head = '{"jsonrpc":"2.0","id":3,"result":{"a';
  // A second id far from the end: the id is in doubt, so there is none.
  assert.equal(readFragments(head, `x"},"id":2${" ".repeat(3000)}}`).id, undefined);
  assert.equal(
    readFragments('{"jsonrpc":"2.0","result":{"a', `x"},"id":7${" ".repeat(3000)}}`).id,
    7,
  );
  // A hostile tail of many members that never close the object stays cheap. Bounded is the CPU
  // this thread spends, not the wall clock (which a loaded machine stretches), on a tail far
  // longer than a line's 4 KiB so that the two readings are far apart: 20 000 members take
  // milliseconds read once each, about ten seconds walked again from each later member.
  const hostile = ',"a":1'.repeat(700).slice(-4090) + "x}";
  assert.equal(readFragments(head, hostile).id, 3);
  const long = ',"a":1'.repeat(20_000) + "x}";
  const { value: id, cpuMs } = threadCpu(() => readFragments(head, long).id);
  assert.equal(id, 3);
  assert.ok(cpuMs < 2_000, `${cpuMs.toFixed(0)} ms of CPU: well over a linear scan's`);
});
