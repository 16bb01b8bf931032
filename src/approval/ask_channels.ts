/**
 * `askChannels()`: puts one approval question to the channels in order. The
 * first channel that can work for the request asks; one that reached no one
 * (`unreachable`: a dialog with no display to open) hands over to the next
 * that can work, before the same deadline, until a channel answers, the
 * list runs out or the signal aborts. A channel that throws counts as an
 * `error` answer; once the signal aborts, a channel gets a short grace to
 * return before its answer counts as a `timeout`.
 *
 * @example
 * ```ts
 * const asked = await askChannels(channels, { question, request, signal, deadline, allowSession: true }, (name) =>
 *   reporter.waitingIn(name));
 * if (asked.answer?.kind === "unreachable") console.log(asked.unreached.join("; "));
 * ```
 */
import type { ApprovalRequest } from "../proxy/relay_session.ts";
import type { ApprovalChannel, ChannelAnswer, ChannelAsk } from "./approval_channel.ts";
import { displayText } from "./display_text.ts";

/** How long after a channel stops listening it may take to return. */
const ABORT_GRACE_MS = 2_000;

/** Where {@linkcode askChannels} stopped. */
export interface ChannelsAsked {
  /** The last channel asked; undefined when none could work here. */
  channel: ApprovalChannel | undefined;
  /** Its answer; still `unreachable` when no channel tried reached anyone. */
  answer: ChannelAnswer | undefined;
  /** Each channel that reached no one, with why: `dialog (no display)`. */
  unreached: string[];
}

/**
 * Asks the channels from the first that can work for `ask.request` on,
 * moving past those that reached no one; `onAsk` hears each channel's name
 * before it is asked.
 */
export async function askChannels(
  channels: readonly ApprovalChannel[],
  ask: ChannelAsk,
  onAsk: (channel: string) => void,
): Promise<ChannelsAsked> {
  const { request, signal } = ask;
  const unreached: string[] = [];
  let channel: ApprovalChannel | undefined;
  let answer: ChannelAnswer | undefined;
  for (let next = 0; next < channels.length && !signal.aborted; next++) {
    const index = await firstAvailable(channels, next, request);
    if (index === undefined) break;
    next = index;
    channel = channels[index]!;
    onAsk(channel.name);
    try {
      answer = await withGrace(channel.ask({ ...ask }), signal);
    } catch (error) {
      answer = {
        kind: "error",
        message: error instanceof Error ? error.message : String(error),
      };
    }
    if (answer.kind !== "unreachable") break;
    unreached.push(`${channel.name} (${displayText(answer.message, 200)})`);
  }
  return { channel, answer, unreached };
}

/** The index of the first channel from `from` on that can work for `request`. */
export async function firstAvailable(
  channels: readonly ApprovalChannel[],
  from: number,
  request: ApprovalRequest,
): Promise<number | undefined> {
  for (let i = from; i < channels.length; i++) {
    if (await channels[i]!.available(request)) return i;
  }
  return undefined;
}

/** Waits for the channel; once `signal` aborts, gives it a short grace, then calls it a timeout. */
function withGrace(asked: Promise<ChannelAnswer>, signal: AbortSignal): Promise<ChannelAnswer> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const late = new Promise<ChannelAnswer>((resolve) => {
    onAbort = () => {
      timer = setTimeout(() => resolve({ kind: "timeout" }), ABORT_GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return Promise.race([asked, late]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  });
}
