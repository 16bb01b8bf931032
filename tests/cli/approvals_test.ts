import { fakeCliIo } from "./_fake_cli_io.ts";
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import type { ApprovalQueue } from "../../src/approval/approval_queue.ts";
import { approvalsCommand } from "../../src/cli/approvals.ts";
import type { CliIo } from "../../src/cli/cli_io.ts";
import { runProgram } from "../../src/cli/program.ts";
import { osUserName } from "../_os_user.ts";
import { waitingRequest } from "../approval/_waiting_request.ts";
import { queueWithKeys, signAnswer } from "../approval/_signed_answers.ts";

/**
 * The approver is the OS user thoth runs as (by uid and the password file),
 * never the `USER` the test sets: `id -un` names it independently.
 */
const OS_USER = Deno.build.os === "windows" ? "cli-user" : osUserName();

function testIo(home: string): CliIo & { stdout: string; stderr: string } {
  return fakeCliIo(home, { USER: "cli-user" });
}

async function run(home: string, args: string[], stdin = "") {
  const io = testIo(home);
  const input = () => new Blob([stdin]).stream();
  const program = new Command("thoth").addCommand(approvalsCommand(io, input));
  const code = await runProgram("thoth", program, ["approvals", ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

async function withHome(work: (home: string, queue: ApprovalQueue) => Promise<void>) {
  const home = await Deno.makeTempDir({ prefix: "thoth-cli-approvals-" });
  try {
    await work(home, await queueWithKeys(home));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

const waiting = (digest: string) => waitingRequest(digest, { pid: 42 });

/** Waits (up to about two seconds) until `id` has an answer. */
async function untilAnswered(queue: ApprovalQueue, id: string): Promise<void> {
  for (let i = 0; i < 200 && (await queue.answer(id)) === undefined; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("thoth approvals list shows what waits, as text or JSON", async () => {
  await withHome(async (home, queue) => {
    assert.equal((await run(home, ["list"])).out, "no approval requests are waiting\n");
    const entry = await queue.submit(waiting("a".repeat(64)));
    const text = await run(home, ["list"]);
    assert.equal(text.code, 0);
    assert.match(
      text.out,
      new RegExp(`^${entry.id}  tool "write_file" on server "fs"  \\[\\d+ s left\\]`),
    );
    assert.match(text.out, /asked by rule "writes" \(writes need a person\); decision d-7/);
    assert.match(text.out, /path: string \(9 chars\)/);
    const json = JSON.parse((await run(home, ["list", "--json"])).out);
    assert.equal(json[0].id, entry.id);
    assert.equal(json[0].state, "pending");
  });
});

Deno.test("thoth approvals list keeps a queue file's control characters off the terminal", async () => {
  await withHome(async (home, queue) => {
    const hostile = "\u001b[2J\u001b]0;pwned\u0007";
    await queue.submit({
      ...waiting("c".repeat(64)),
      tool: `write_file${hostile}`,
      server: `fs\napproved: yes`,
      reasons: [`why${hostile}`],
      shape: [`path${hostile}: string (1 char)`],
    });
    const text = await run(home, ["list"]);
    assert.equal(text.code, 0);
    const control = [...text.out].filter((c) => {
      const code = c.charCodeAt(0);
      return (code < 0x20 && c !== "\n") || code === 0x7f;
    });
    assert.deepEqual(control, [], "no control character but the line breaks");
    assert.ok(!/^approved: yes/m.test(text.out), "no line of the file's own making");
    assert.ok(
      text.out.includes(
        'tool "write_file\\u001b[2J\\u001b]0;pwned\\u0007" on server "fs\\u000aapproved: yes"',
      ),
      text.out,
    );
  });
});

Deno.test("thoth approvals approve and deny settle once; errors name the id and the state", async () => {
  await withHome(async (home, queue) => {
    const a = await queue.submit(waiting("a".repeat(64)));
    const b = await queue.submit(waiting("b".repeat(64)));
    assert.equal(
      (await run(home, ["approve", a.id, "--session"])).out,
      `${a.id}: approved for the session by ${OS_USER}: tool "write_file" on server "fs" ` +
        `(decision ${a.decisionId})\n`,
    );
    const denied = await run(home, ["deny", b.id, "--reason", "not today"]);
    assert.equal(
      denied.out,
      `${b.id}: denied by ${OS_USER}: tool "write_file" on server "fs" (decision ${b.decisionId})\n`,
    );
    assert.equal((await queue.answer(b.id))?.reason, "not today");
    const again = await run(home, ["deny", a.id]);
    assert.equal(again.code, 1);
    assert.match(
      again.err,
      new RegExp(
        // Given here with no terminal (standard input is not one), and said so; where the test
        // runner itself sits near pid 1 with no terminal (a CI box), also from a detached process.
        `^thoth: error: request "[a-z0-9]{8}" was already approved for the session by ${OS_USER} ` +
          "without a terminal(, from a detached process)?\n",
      ),
    );
    assert.match(again.err, /thoth: hint: run "thoth approvals list"/);
    const unknown = await run(home, ["approve", "zzzzzzzz"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no approval request with id "zzzzzzzz"/);
    const missing = await run(home, ["approve"]);
    assert.equal(missing.code, 2);
    assert.equal((await run(home, ["list"])).out, "no approval requests are waiting\n");
  });
});

/**
 * `approvals watch` driven as a person drives it: `answer(text)` writes to
 * its input when called, `prompts(n)` waits until it has asked `n` times.
 */
function watching(home: string) {
  const io = testIo(home);
  let control!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (control = c) });
  const program = new Command("thoth").addCommand(approvalsCommand(io, () => stream));
  const done = runProgram("thoth", program, ["approvals", "watch", "--interval", "50"], io);
  return {
    io,
    answer: (text: string) => control.enqueue(new TextEncoder().encode(text)),
    end: () => control.close(),
    /** Waits until the prompt count reaches `n` (a question is on screen). */
    prompts: async (n: number) => {
      const asked = () => (io.stdout.match(/(Enter skips\] |or Enter to skip: )/g) ?? []).length;
      for (let i = 0; i < 400 && asked() < n; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(asked() >= n, `watch asked ${asked()} times, not ${n}:\n${io.stdout}`);
    },
    done,
  };
}

Deno.test("thoth approvals watch asks y/n/s for each request and settles it", async () => {
  await withHome(async (home, queue) => {
    // watch asks in the order requests were made; keep their times apart.
    const tick = () => new Promise((r) => setTimeout(r, 3));
    const a = await queue.submit(waiting("a".repeat(64)));
    await tick();
    const b = await queue.submit(waiting("b".repeat(64)));
    await tick();
    const c = await queue.submit(waiting("c".repeat(64)));
    const watch = watching(home);
    await watch.prompts(1);
    watch.answer("y");
    await watch.prompts(2);
    watch.answer("\r");
    await watch.prompts(3);
    watch.answer("n");
    await new Promise((r) => setTimeout(r, 100));
    watch.end();
    assert.equal(await watch.done, 0, watch.io.stderr);
    assert.match(watch.io.stdout, /allow it\? \[y\/n\/s, Enter skips\]/);
    assert.equal((await queue.answer(a.id))?.decision, "approve");
    assert.equal(await queue.answer(b.id), undefined, "Enter skips");
    assert.equal((await queue.answer(c.id))?.decision, "deny");
    assert.equal((await queue.answer(a.id))?.by, OS_USER);
    if (Deno.build.os !== "windows") {
      assert.notEqual(OS_USER, "cli-user", "USER does not name the approver");
    }
  });
});

Deno.test("thoth approvals watch takes an answer only for the question on screen: keys typed ahead are dropped", async () => {
  await withHome(async (home, queue) => {
    const a = await queue.submit(waiting("a".repeat(64)));
    await new Promise((r) => setTimeout(r, 3));
    const b = await queue.submit(waiting("b".repeat(64)));
    const watch = watching(home);
    await watch.prompts(1);
    // Two answers in a row: the second was typed before the second question.
    watch.answer("y");
    watch.answer("y");
    await watch.prompts(2);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await queue.answer(a.id))?.decision, "approve");
    assert.equal(
      await queue.answer(b.id),
      undefined,
      "a line typed before its question approves nothing",
    );
    assert.match(watch.io.stderr, /ignored input typed before this question/);
    assert.equal(watch.io.stderr.match(/ignored input/g)?.length, 1, "said once");
    // Typed after the second question, it counts.
    watch.answer("n");
    await untilAnswered(queue, b.id);
    watch.end();
    assert.equal(await watch.done, 0, watch.io.stderr);
    assert.equal((await queue.answer(b.id))?.decision, "deny");
  });
});

Deno.test("thoth approvals watch approves nothing from input written before the first question", async () => {
  await withHome(async (home, queue) => {
    const a = await queue.submit(waiting("a".repeat(64)));
    // A pipe written in advance: every line predates every question.
    const result = await run(home, ["watch", "--interval", "50"], "y\ny\n");
    assert.equal(result.code, 0, result.err);
    assert.equal(await queue.answer(a.id), undefined);
    assert.match(result.err, /ignored input typed before this question/);
    assert.match(result.err, /thoth approvals approve ID/, "names what a script should use");
  });
});

Deno.test("thoth approvals watch asks again after a key it does not understand; only Enter skips", async () => {
  await withHome(async (home, queue) => {
    const a = await queue.submit({ ...waiting("a".repeat(64)), allowSession: false });
    const watch = watching(home);
    await watch.prompts(1);
    // Several keys in one read (a paste, or a burst) are no answer, whatever the first one.
    watch.answer("yes please");
    await watch.prompts(2);
    assert.match(watch.io.stdout, /"yes please" is not an answer; press y \(allow once\) or n/);
    assert.doesNotMatch(watch.io.stdout, /skipped/);
    // "s" where the session choice is not offered is no answer either.
    watch.answer("s");
    await watch.prompts(3);
    assert.match(watch.io.stdout, /"s" is not an answer; .*the session choice is not offered/);
    assert.equal(await queue.answer(a.id), undefined);
    watch.answer("y");
    await untilAnswered(queue, a.id);
    watch.end();
    assert.equal(await watch.done, 0, watch.io.stderr);
    assert.equal((await queue.answer(a.id))?.decision, "approve");
  });
});

Deno.test("thoth approvals watch skips on Enter alone", async () => {
  await withHome(async (home, queue) => {
    const a = await queue.submit(waiting("a".repeat(64)));
    const watch = watching(home);
    await watch.prompts(1);
    watch.answer("\n");
    for (let i = 0; i < 200 && !watch.io.stdout.includes("skipped"); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    watch.end();
    assert.equal(await watch.done, 0, watch.io.stderr);
    assert.match(
      watch.io.stdout,
      new RegExp(`${a.id}: skipped \\(still waiting for someone else\\)`),
    );
    assert.equal(await queue.answer(a.id), undefined);
  });
});

Deno.test("thoth approvals --help teaches the commands", async () => {
  await withHome(async (home) => {
    const help = await run(home, ["--help"]);
    assert.equal(help.code, 0);
    for (
      const word of ["list", "approve", "deny", "watch", "--session", "--reason", "threat model"]
    ) {
      assert.ok(help.out.includes(word), `help mentions ${word}`);
    }
  });
});

Deno.test("thothctl approvals names thothctl in its help and its lines", async () => {
  await withHome(async (home) => {
    const io = testIo(home);
    const program = new Command("thothctl").addCommand(
      approvalsCommand(io, () => new Response("").body!, "thothctl"),
    );
    assert.equal(await runProgram("thothctl", program, ["approvals", "--help"], io), 0);
    assert.match(io.stdout, /^ {2}thothctl approvals list {18}what is waiting/m);
    assert.doesNotMatch(io.stdout, /thoth approvals/);
    const watch = testIo(home);
    const watching = new Command("thothctl").addCommand(
      approvalsCommand(watch, () => new Response("").body!, "thothctl"),
    );
    await runProgram("thothctl", watching, ["approvals", "watch"], watch);
    assert.match(watch.stderr, /^thothctl: watching /m);
  });
});

Deno.test("thoth approvals list names a settled request's writer by the answer file's owner, the name in it only as a claim", async () => {
  await withHome(async (home, queue) => {
    const entry = await queue.submit(waiting("a".repeat(64)));
    const written = {
      v: 1,
      id: entry.id,
      digest: "a".repeat(64),
      decision: "approve",
      by: "ceo@example.com",
      at: Date.now(),
    } as const;
    // Signed with this profile's key, as thoth approvals would: the name is still only a claim.
    await signAnswer(home, written);
    await Deno.writeTextFile(`${home}/approvals/${entry.id}.answer.json`, JSON.stringify(written));
    const text = await run(home, ["list", "--all"]);
    const expected = Deno.build.os === "windows"
      ? "approved by ceo@example.com (claimed by the answer file"
      : `approved by ${OS_USER} (the answer file claims "ceo@example.com")`;
    assert.ok(text.out.includes(expected), text.out + text.err);
    const json = JSON.parse((await run(home, ["list", "--all", "--json"])).out);
    const answer = json.find((i: { id: string }) => i.id === entry.id)?.answer;
    assert.equal(answer?.claimedBy, "ceo@example.com");
    assert.ok(String(answer?.by).startsWith(Deno.build.os === "windows" ? "ceo" : OS_USER));
  });
});

Deno.test("thoth approvals list says an answer for other arguments was refused, not that the call was approved", async () => {
  await withHome(async (home, queue) => {
    const entry = await queue.submit(waiting("a".repeat(64)));
    // A well-formed, signed answer, but for another call's digest: thoth refuses it.
    const answer = {
      v: 1,
      id: entry.id,
      digest: "b".repeat(64),
      decision: "approve",
      by: OS_USER,
      at: Date.now(),
    } as const;
    await signAnswer(home, answer);
    await Deno.writeTextFile(`${home}/approvals/${entry.id}.answer.json`, JSON.stringify(answer));
    const text = await run(home, ["list", "--all"]);
    assert.match(
      text.out,
      /\[approved by [^\]]*, but the answer does not match the call's arguments, so thoth refused the call; it did not run\]/,
    );
    const json = JSON.parse((await run(home, ["list", "--all", "--json"])).out);
    assert.equal(json[0].answer.decision, "approve");
    assert.equal(json[0].answer.callRan, false);
    assert.equal(json[0].answer.callOutcome, "refused");
    assert.equal(json[0].answer.callOutcomeSource, "digest-mismatch");
  });
});

Deno.test("thoth approvals list names the waiting thoth's pid and says each rule once", async () => {
  await withHome(async (home, queue) => {
    const asked = {
      ...waiting("a".repeat(64)),
      ruleIds: ["ask-echo"],
      reasons: ['rule "ask-echo": echo needs a person'],
    };
    await queue.submit({ ...asked, pid: 4242 });
    await new Promise((r) => setTimeout(r, 3));
    await queue.submit({ ...asked, pid: 4343 });
    const text = await run(home, ["list"]);
    assert.equal(text.code, 0, text.err);
    assert.equal(
      text.out.match(/asked by rule "ask-echo": echo needs a person; decision d-7\n/g)?.length,
      2,
      text.out,
    );
    assert.doesNotMatch(text.out, /\(rule "ask-echo"/, "the rule is said once");
    assert.match(text.out, /waiting in the thoth with pid 4242\n/);
    assert.match(text.out, /waiting in the thoth with pid 4343\n/);
    const json = JSON.parse((await run(home, ["list", "--json"])).out);
    assert.deepEqual(json.map((i: { pid: number }) => i.pid).sort(), [4242, 4343]);
  });
});
