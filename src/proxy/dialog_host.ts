/**
 * Shows the dialogs the proxy core asks for, one per request id, and
 * answers each with how it ended. Without a dialog tool every request is
 * answered with an error, so the core moves on to its next channel. On
 * stop, {@linkcode DialogHost.cancelAll} ends every open dialog and waits
 * (at most {@linkcode DIALOG_SETTLE_MS}) for each to finish ending: a
 * kdialog text window's question file is removed only once its window is
 * gone, and thoth exits right after.
 *
 * @example
 * ```ts
 * const dialogs = dialogHost(localDialogRunner(found, env), (m) => worker.postMessage(m));
 * dialogs.show(1, { text: "Allow?", seconds: 45, allowSession: false });
 * await dialogs.cancelAll();
 * ```
 */
import type { DialogRunner } from "../approval/dialog_runner.ts";
import type { WorkerInbound } from "./proxy_worker.ts";

/** How long a stop waits for the open dialogs to finish ending. */
export const DIALOG_SETTLE_MS = 2000;

/** The dialogs open for the core. */
export interface DialogHost {
  /** Shows request `id`; its ending is answered to the core. */
  show(id: number, request: Parameters<DialogRunner>[0]): void;
  /** Ends request `id`'s dialog. */
  cancel(id: number): void;
  /** Ends every open dialog; resolves once each finished ending, or after `settleMs`. */
  cancelAll(settleMs?: number): Promise<void>;
}

/** The dialog host for `run` (absent: no dialog tool), answering through `answer`. */
export function dialogHost(
  run: DialogRunner | undefined,
  answer: (message: WorkerInbound) => void,
): DialogHost {
  const open = new Map<number, { abort: AbortController; ended: Promise<void> }>();
  return {
    show(id, request) {
      if (run === undefined) {
        answer({ type: "dialog-shown", id, shown: { kind: "error", message: "no dialog tool" } });
        return;
      }
      const abort = new AbortController();
      const ended = run(request, abort.signal).then(
        (shown) => shown,
        (error) => ({ kind: "error" as const, message: String(error) }),
      ).then((shown) => {
        open.delete(id);
        answer({ type: "dialog-shown", id, shown });
      });
      open.set(id, { abort, ended });
    },
    cancel(id) {
      open.get(id)?.abort.abort();
    },
    async cancelAll(settleMs = DIALOG_SETTLE_MS) {
      const ending = [...open.values()];
      open.clear();
      if (ending.length === 0) return;
      for (const { abort } of ending) abort.abort();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((resolve) => timer = setTimeout(resolve, settleMs));
      try {
        await Promise.race([Promise.all(ending.map((each) => each.ended)), late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
