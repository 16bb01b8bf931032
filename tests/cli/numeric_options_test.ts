/**
 * The numeric options of `thoth` and `thothctl` other than `thoth run`'s
 * (`audit tail --lines`, `audit prove --seq`, `approvals watch --interval`)
 * take plain decimal digits within a range, like `thoth run`'s: a usage error
 * (exit 2) names the option, the value and what is expected, with a hint.
 */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { approvalsCommand } from "../../src/cli/approvals.ts";
import { runProgram } from "../../src/cli/program.ts";
import { thothMain } from "../../src/cli/thoth.ts";
import { thothctlMain } from "../../src/cli/thothctl.ts";
import { bootstrapProfile } from "../../src/identity/bootstrap_profile.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { fakeCliIo } from "./_fake_cli_io.ts";

type Result = { code: number; out: string; err: string };

/** `thoth …` or `thothctl …` in-process against the profile `home`. */
async function cli(program: "thoth" | "thothctl", home: string, args: string[]): Promise<Result> {
  const io = fakeCliIo(home, { THOTH_HOME: home });
  const main = program === "thoth" ? thothMain : thothctlMain;
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** `thoth approvals …` reading its answers from `stdin` instead of the terminal. */
async function approvals(home: string, args: string[], stdin = ""): Promise<Result> {
  const io = fakeCliIo(home, { USER: "cli-user", THOTH_HOME: home });
  const input = () => new Blob([stdin]).stream();
  const program = new Command("thoth").addCommand(approvalsCommand(io, input));
  const code = await runProgram("thoth", program, ["approvals", ...args], io);
  return { code, out: io.stdout, err: io.stderr };
}

async function withProfile(work: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "thoth-cli-numbers-" });
  try {
    await bootstrapProfile(home, Deno.build.os);
    await work(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

const NOT_DECIMAL = [
  "0x10",
  "0o7",
  "0b1",
  "1e1",
  " 12 ",
  "12 ",
  " 12",
  "1 2",
  "1_000",
  "+5",
  "-1",
  "-0",
  "12.0",
  "1.5",
  ".5",
  "",
  "NaN",
  "Infinity",
  "\u0661\u0662",
  "１２",
  "12\n",
];

const DIGITS_ONLY = 'write digits only, with no sign, spaces, "_", "." or exponent';

/** Each option: how to give it a value, what it expects, and the example its hint shows. */
const OPTIONS = [
  {
    args: (v: string) => ["audit", "tail", "--lines", v],
    flag: "--lines",
    expected: "a whole number of records from 0 to 1000000",
    example: '"20" (the default)',
  },
  {
    args: (v: string) => ["audit", "tail", "-n", v],
    flag: "--lines",
    expected: "a whole number of records from 0 to 1000000",
    example: '"20" (the default)',
  },
  {
    args: (v: string) => ["audit", "prove", "--seq", v],
    flag: "--seq",
    expected: "a record sequence number from 0 to 9007199254740991",
    example: '"42"',
  },
] as const;

Deno.test("thoth and thothctl audit read --lines and --seq as plain decimal integers only", async () => {
  await withProfile(async (home) => {
    for (const program of ["thoth", "thothctl"] as const) {
      for (const option of OPTIONS) {
        for (const value of NOT_DECIMAL) {
          const args = option.args(value);
          const run = await cli(program, home, args);
          assert.equal(run.code, 2, `${program} ${JSON.stringify(args)}: ${run.err}`);
          assert.equal(
            run.err,
            `${program}: error: ${option.flag}: ${
              JSON.stringify(value)
            } is not a plain decimal number; expected ${option.expected}\n` +
              `${program}: hint: ${DIGITS_ONLY}, for example ${option.example}\n`,
            `${program} ${JSON.stringify(args)}`,
          );
          assert.equal(run.out, "", JSON.stringify(args));
        }
      }
    }
  });
});

Deno.test("thoth approvals watch reads --interval as plain decimal integers only", async () => {
  await withProfile(async (home) => {
    for (const value of NOT_DECIMAL) {
      for (const args of [["watch", "--interval", value], ["watch", `--interval=${value}`]]) {
        const run = await approvals(home, args);
        assert.equal(run.code, 2, `${JSON.stringify(args)}: ${run.err}`);
        assert.equal(
          run.err,
          `thoth: error: --interval: ${
            JSON.stringify(value)
          } is not a plain decimal number; expected whole milliseconds from 50 to 60000\n` +
            `thoth: hint: ${DIGITS_ONLY}, for example "500" (the default)\n`,
          JSON.stringify(args),
        );
        assert.equal(run.out, "", JSON.stringify(args));
      }
    }
  });
});

Deno.test("numeric options name the option, the value and the range when out of range", async () => {
  await withProfile(async (home) => {
    const cases: [Promise<Result>, string][] = [
      [
        cli("thoth", home, ["audit", "tail", "--lines", "1000001"]),
        'thoth: error: --lines: "1000001" is out of range; expected a whole number of records from 0 to 1000000\n' +
        "thoth: hint: choose between 0 and 1000000; the default is 20\n",
      ],
      [
        cli("thothctl", home, ["audit", "tail", "-n", "99999999999999999999999"]),
        'thothctl: error: --lines: "99999999999999999999999" is out of range; expected a whole number of records from 0 to 1000000\n' +
        "thothctl: hint: choose between 0 and 1000000; the default is 20\n",
      ],
      [
        // 2^53 + 1 reads as 2^53 in floating point: refused, never rounded to another record.
        cli("thoth", home, ["audit", "prove", "--seq", "9007199254740993"]),
        'thoth: error: --seq: "9007199254740993" is out of range; expected a record sequence number from 0 to 9007199254740991\n' +
        "thoth: hint: choose between 0 and 9007199254740991\n",
      ],
      [
        approvals(home, ["watch", "--interval", "49"]),
        'thoth: error: --interval: "49" is out of range; expected whole milliseconds from 50 to 60000\n' +
        "thoth: hint: choose between 50 and 60000; the default is 500\n",
      ],
      [
        approvals(home, ["watch", "--interval", "60001"]),
        'thoth: error: --interval: "60001" is out of range; expected whole milliseconds from 50 to 60000\n' +
        "thoth: hint: choose between 50 and 60000; the default is 500\n",
      ],
    ];
    for (const [running, err] of cases) {
      const run = await running;
      assert.equal(run.code, 2, run.err);
      assert.equal(run.err, err);
      assert.equal(run.out, "");
    }
  });
});

Deno.test("numeric options still take every value at the edges of their range, leading zeros as decimal", async () => {
  const home = await sampleLog(1, 3);
  try {
    const lines = async (value: string) => {
      const run = await cli("thoth", home, ["audit", "tail", "--json", "-n", value]);
      assert.equal(run.code, 0, run.err);
      return run.out === "" ? 0 : run.out.trim().split("\n").length;
    };
    assert.equal(await lines("0"), 0);
    assert.equal(await lines("002"), 2);
    assert.ok(await lines("1000000") > 2);

    const proof = await cli("thothctl", home, ["audit", "prove", "--seq", "03"]);
    assert.equal(proof.code, 0, proof.err);
    assert.equal(JSON.parse(JSON.parse(proof.out).record).seq, 3);
    const first = await cli("thoth", home, ["audit", "prove", "--seq", "0"]);
    assert.equal(first.code, 0, first.err);
    // The largest sequence number is a number, not a usage error: there is just no such record.
    const last = await cli("thoth", home, ["audit", "prove", "--seq", "9007199254740991"]);
    assert.equal(last.code, 1, last.err);
    assert.match(last.err, /^thoth: error: there is no record with seq 9007199254740991\n/);

    for (const value of ["50", "0050", "60000"]) {
      const watch = await approvals(home, ["watch", "--interval", value]);
      assert.equal(watch.code, 0, `${value}: ${watch.err}`);
      assert.match(watch.err, /^thoth: watching .* for approval requests/);
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("the numeric options show their defaults in help", async () => {
  await withProfile(async (home) => {
    const tail = await cli("thoth", home, ["audit", "tail", "--help"]);
    assert.equal(tail.code, 0);
    assert.match(tail.out, /-n, --lines <count>\s+how many records, 0 to 1000000 \(default: 20\)/);
    const watch = await approvals(home, ["watch", "--help"]);
    assert.equal(watch.code, 0);
    assert.match(
      watch.out,
      /--interval <ms>\s+how often to look for new requests, 50 to 60000 ms \(default:\s+500\)/,
    );
  });
});
