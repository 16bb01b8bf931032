/**
 * What the tests of the answers a relay refuses share: the server's
 * sampling request (offering a tool the model may choose), the result a
 * client answers it with (the model chose that tool), and the lines a side
 * was sent as one text.
 */
import { toolUse } from "./_raw_relay.ts";

const dec = new TextDecoder();

/** Lines sent to one side, as one text. */
export const sent = (list: Uint8Array[]): string => list.map((bytes) => dec.decode(bytes)).join("");

/** The server's `sampling/createMessage` request under `id`, offering `delete_everything`. */
export const sampling = (id: unknown) => ({
  jsonrpc: "2.0",
  id,
  method: "sampling/createMessage",
  params: { messages: [], maxTokens: 10, tools: [{ name: "delete_everything" }] },
});

/** A sampling result in which the model chose `delete_everything`. */
export const RESULT = {
  role: "assistant",
  model: "m",
  stopReason: "toolUse",
  content: [toolUse("delete_everything")],
};
