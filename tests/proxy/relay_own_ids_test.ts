/**
 * The governed server cannot act under thoth's own request ids: a request of
 * its under one (or under a look-alike a loose client takes for one) is
 * refused and never reaches the client; only the client's answer under an id
 * thoth sent the client can answer thoth's form; a server notification that
 * names one of thoth's forms, or the progress token of a call thoth holds, is
 * dropped; and the ids thoth sends the server tell it nothing of the ids it
 * sends the client.
 */
import assert from "node:assert/strict";
import type { ApprovalRequest, Approver } from "../../src/proxy/relay_session.ts";
import { call, enforcerOf, line, rawRelay, settle } from "./_raw_relay.ts";

/** A relay past `initialize` (the client declares forms), with nothing sent yet. */
function initialized(options: Parameters<typeof rawRelay>[0] = {}) {
  const h = rawRelay(options, true);
  h.session.fromClient(line({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: { elicitation: {} } },
  }));
  h.session.fromServer(line({
    jsonrpc: "2.0",
    id: 0,
    result: { protocolVersion: "2025-06-18", capabilities: { tools: {} } },
  }));
  h.toServer.length = 0;
  h.toClient.length = 0;
  return h;
}

/** An approver that asks the client with a form and approves only on "accept". */
function formApprover(): Approver & { asked: ApprovalRequest[] } {
  const asked: ApprovalRequest[] = [];
  const approver = (async (request: ApprovalRequest) => {
    asked.push(request);
    const response = await request.client.request("elicitation/create", {
      message: "thoth: allow delete_everything?",
      requestedSchema: { type: "object", properties: {} },
    }, { signal: request.signal });
    const result = response["result"] as { action?: string } | undefined;
    return result?.action === "accept"
      ? { approved: true, why: "approved", channel: "elicitation" }
      : { approved: false, why: "the person declined", channel: "elicitation" };
  }) as Approver & { asked: ApprovalRequest[] };
  approver.asked = asked;
  return approver;
}

/** An approver for a person who never answers: it waits until the call is withdrawn. */
const neverAnswers: Approver = (request) =>
  new Promise((resolve) =>
    request.signal.addEventListener(
      "abort",
      () => resolve({ approved: false, why: "withdrawn", kind: "cancelled" }),
      { once: true },
    )
  );

const WEATHER = {
  message: "Weather service: allow showing the forecast?",
  requestedSchema: { type: "object", properties: {} },
};

Deno.test("a server request under thoth's own ids, or a look-alike, is refused and never reaches the client", async () => {
  const h = initialized({ enforcer: enforcerOf({ delete_everything: "step_up" }) });
  // thoth lists the tools itself (the server learns its server-facing id), then asks a form.
  h.session.fromClient(call(1, "list_files"));
  const list = h.json(h.toServer).at(-1);
  const serverPrefix = String(list.id).replace(/server-\d+$/, "");
  h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { tools: [] } }));
  await settle();
  const form = h.session.requestClient("elicitation/create", { message: "thoth: allow?" });
  const [own] = h.json(h.toClient).filter((m) => m.method === "elicitation/create");
  const count = Number(/^thoth-n-(\d+)$/.exec(own.id)?.[1]);
  h.toServer.length = 0;
  h.toClient.length = 0;
  const forged = [
    own.id, // thoth's own form, still open
    `thoth-n-${count + 1}`, // thoth's next form
    `${serverPrefix}${count + 2}`, // under the nonce the server saw
    `${serverPrefix}server-9`,
    ` THOTH-n-${count + 3}`, // look-alikes a loose client takes for thoth's
    `\uff54\uff48\uff4f\uff54\uff48-n-${count + 4}`, // fullwidth "thoth"
    `thoth\u200b-n-${count + 5}`, // a zero-width space inside
  ];
  for (const id of forged) {
    h.session.fromServer(
      line({ jsonrpc: "2.0", id, method: "elicitation/create", params: WEATHER }),
    );
  }
  // In a batch, only that element goes.
  h.session.fromServer(line([
    { jsonrpc: "2.0", id: "thoth-n-6", method: "elicitation/create", params: WEATHER },
    { jsonrpc: "2.0", id: 77, method: "ping" },
  ]));
  assert.deepEqual(h.json(h.toClient), [[{ jsonrpc: "2.0", id: 77, method: "ping" }]]);
  const refusals = h.json(h.toServer);
  assert.deepEqual(refusals.map((r) => r.id), [...forged, "thoth-n-6"]);
  for (const refusal of refusals) {
    assert.equal(refusal.error.code, -32600);
    assert.match(refusal.error.message, /ids thoth keeps for its own requests/);
  }
  const notes = h.notes.filter((n) => /refused the server's "elicitation\/create" request/.test(n));
  assert.equal(notes.length, forged.length + 1, "one note per refused request");
  // The client answers thoth's form: that answer is thoth's, and nothing goes to the server.
  h.toServer.length = 0;
  h.session.fromClient(line({ jsonrpc: "2.0", id: own.id, result: { action: "decline" } }));
  assert.deepEqual((await form)["result"], { action: "decline" });
  assert.deepEqual(h.toServer, []);
});

Deno.test("only the client's answer under an id thoth sent the client answers thoth's form", async () => {
  const h = initialized({ enforcer: enforcerOf({ delete_everything: "step_up" }) });
  h.session.fromClient(call(1, "list_files"));
  const list = h.json(h.toServer).at(-1);
  h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { tools: [] } }));
  await settle();
  let answered: Record<string, unknown> | undefined;
  void h.session.requestClient("elicitation/create", { message: "thoth: allow?" }).then((r) =>
    answered = r
  );
  const own = h.json(h.toClient).at(-1);
  const count = Number(/^thoth-n-(\d+)$/.exec(own.id)?.[1]);
  h.toServer.length = 0;
  const accept = (id: string) =>
    line({ jsonrpc: "2.0", id, result: { action: "accept", content: {} } });
  // The id of thoth's own request to the server: thoth never sent the client that one.
  h.session.fromClient(accept(list.id));
  // Under thoth's client-facing prefix, but a form thoth never sent.
  h.session.fromClient(accept(`thoth-n-${count + 1}`));
  await settle();
  assert.equal(answered, undefined, "thoth's form is still open");
  assert.deepEqual(h.toServer, [], "never forwarded: the server asked nothing under them");
  assert.equal(
    h.notes.filter((n) => /thoth sent the client no request under it/.test(n)).length,
    2,
    h.notes.join("\n"),
  );
  h.session.fromClient(accept(own.id));
  await settle();
  assert.deepEqual(answered?.["result"], { action: "accept", content: {} });
});

Deno.test("a server's form under thoth's next id cannot turn a declined approval into one", async () => {
  const approver = formApprover();
  const h = initialized({ enforcer: enforcerOf({ delete_everything: "step_up" }), approver });
  h.session.fromClient(call(1, "list_files"));
  const list = h.json(h.toServer).at(-1);
  // The server answers thoth's listing, then asks its own "weather" form under the ids
  // thoth's next forms would have (the nonce is the test's own: at worst the server knew it).
  h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { tools: [] } }));
  for (const id of ["thoth-n-1", "thoth-n-2", "thoth-n-3"]) {
    h.session.fromServer(
      line({ jsonrpc: "2.0", id, method: "elicitation/create", params: WEATHER }),
    );
  }
  await settle();
  h.session.fromClient(call(2, "delete_everything", { target: "/" }));
  await settle();
  // The person answers each form the client shows: yes to the weather, no to thoth's.
  const forms = h.json(h.toClient).filter((m) => m.method === "elicitation/create");
  for (const form of forms) {
    const weather = /Weather/.test(form.params.message);
    h.session.fromClient(line({
      jsonrpc: "2.0",
      id: form.id,
      result: weather ? { action: "accept", content: {} } : { action: "decline" },
    }));
  }
  await settle();
  await settle();
  assert.deepEqual(
    forms.map((f) => f.params.message),
    ["thoth: allow delete_everything?"],
    "the client was shown only thoth's form",
  );
  assert.equal(
    h.json(h.toServer).some((m) => m.method === "tools/call" && m.id === 2),
    false,
    "the declined call was not forwarded",
  );
  const answer = h.json(h.toClient).find((m) => m.id === 2);
  assert.equal(answer?.result?.isError, true);
  assert.match(JSON.stringify(answer), /the person declined/);
  assert.ok(h.events.includes("approval delete_everything false"), h.events.join("\n"));
});

Deno.test("a server notification naming thoth's form, or the token of a call thoth holds, is dropped", async () => {
  const h = initialized({
    enforcer: enforcerOf({ delete_everything: "step_up" }),
    approver: neverAnswers,
  });
  h.session.fromClient(call(1, "list_files"));
  const list = h.json(h.toServer).at(-1);
  h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { tools: [] } }));
  await settle();
  // A call waiting for a person, under the client's progress token "p2".
  h.session.fromClient(call(2, "delete_everything", {}, { _meta: { progressToken: "p2" } }));
  // An allowed call the server runs, under its own token 3.
  h.session.fromClient(call(3, "list_files", {}, { _meta: { progressToken: 3 } }));
  let answered: Record<string, unknown> | undefined;
  void h.session.requestClient("elicitation/create", { message: "thoth: allow?" }).then((r) =>
    answered = r
  );
  const formId = h.json(h.toClient).at(-1).id;
  await settle();
  h.toClient.length = 0;
  const notify = (method: string, params: unknown) =>
    h.session.fromServer(line({ jsonrpc: "2.0", method, params }));
  notify("notifications/cancelled", { requestId: formId, reason: "closing" });
  notify("notifications/progress", { progressToken: formId, progress: 1 });
  notify("notifications/progress", { progressToken: "p2", progress: 99, total: 100 });
  notify("notifications/message", { level: "info", data: "x", _meta: { requestId: formId } });
  notify("notifications/cancelled", { RequestId: ` ${formId}` });
  assert.deepEqual(h.toClient, [], "none of them reached the client");
  assert.equal(
    h.notes.filter((n) => /dropped the server's "notifications\//.test(n)).length,
    5,
    h.notes.join("\n"),
  );
  // The server's own progress and its cancellation of its own request still go through.
  notify("notifications/progress", { progressToken: 3, progress: 1 });
  notify("notifications/cancelled", { requestId: 5, reason: "done" });
  assert.deepEqual(h.json(h.toClient).map((m) => m.method), [
    "notifications/progress",
    "notifications/cancelled",
  ]);
  // thoth's form is still open, and the client's answer to it still counts.
  h.session.fromClient(line({ jsonrpc: "2.0", id: formId, result: { action: "decline" } }));
  await settle();
  assert.deepEqual(answered?.["result"], { action: "decline" });
});

Deno.test("the ids thoth sends the server tell nothing of the ids it sends the client", async () => {
  const prefixes = new Set<string>();
  for (let session = 0; session < 2; session++) {
    const h = initialized();
    h.session.fromClient(call(1, "list_files"));
    const list = h.json(h.toServer).at(-1);
    assert.equal(list.method, "tools/list");
    assert.doesNotMatch(list.id, /^thoth-n-/, "not under the client-facing nonce");
    prefixes.add(list.id.replace(/server-\d+$/, ""));
    h.session.fromServer(line({ jsonrpc: "2.0", id: list.id, result: { tools: [] } }));
    await settle();
    void h.session.requestClient("elicitation/create", {}).catch(() => {});
    // Counted apart: the client's first form is 1, whatever thoth asked the server before.
    assert.equal(h.json(h.toClient).at(-1).id, "thoth-n-1");
  }
  assert.equal(prefixes.size, 2, "a fresh server-facing nonce each session");
});
