// A JSON array whose items are produced while the response is written (group members), so that a
// large array is never held whole: the producer emits chunks, and the writer serialises each chunk
// and waits for the client to take it before the next one is read.

export type EmitChunk = (items: unknown[]) => Promise<void>;

export class DeferredArray {
  constructor(readonly produce: (emit: EmitChunk) => Promise<void>) {}
}
