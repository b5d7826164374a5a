/** Keeps the most recent `capacity` bytes written to it (for replay to a reattaching browser). */
export class RingBuffer {
  readonly #capacity: number;
  #chunks: Uint8Array[] = [];
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("ring buffer capacity must be a positive integer");
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#size;
  }

  push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    // A copy (`Buffer#slice` would share memory): the caller may reuse its buffer.
    const kept = new Uint8Array(bytes.byteLength > this.#capacity ? bytes.subarray(bytes.byteLength - this.#capacity) : bytes);
    this.#chunks.push(kept);
    this.#size += kept.byteLength;
    while (this.#size > this.#capacity) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      const excess = this.#size - this.#capacity;
      if (first.byteLength <= excess) {
        this.#chunks.shift();
        this.#size -= first.byteLength;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#size -= excess;
      }
    }
  }

  /** The buffered bytes, oldest first, as one array. */
  contents(): Uint8Array {
    const out = new Uint8Array(this.#size);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
}
