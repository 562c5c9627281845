// One min-heap of due times for every tracked certificate. Rescheduling pushes a new entry and
// leaves the old one in place; `due` remembers the live time per key and stale entries are
// dropped when they surface (lazy deletion), so an update is O(log n) with no search.

interface Entry {
  readonly at: number;
  readonly key: string;
}

export class TimerHeap {
  readonly #entries: Entry[] = [];
  readonly #due = new Map<string, number>();

  get size(): number {
    return this.#due.size;
  }

  schedule(key: string, at: number): void {
    if (this.#due.get(key) === at) return;
    this.#due.set(key, at);
    this.#push({ at, key });
  }

  cancel(key: string): void {
    this.#due.delete(key);
  }

  dueAt(key: string): number | undefined {
    return this.#due.get(key);
  }

  /** The earliest live due time, or undefined when nothing is scheduled. */
  peek(): number | undefined {
    this.#dropStale();
    return this.#entries[0]?.at;
  }

  /** Removes and returns every key due at or before `now`, earliest first. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (;;) {
      this.#dropStale();
      const top = this.#entries[0];
      if (!top || top.at > now) return due;
      this.#pop();
      this.#due.delete(top.key);
      due.push(top.key);
    }
  }

  #dropStale(): void {
    for (;;) {
      const top = this.#entries[0];
      if (!top || this.#due.get(top.key) === top.at) return;
      this.#pop();
    }
  }

  #push(entry: Entry): void {
    const heap = this.#entries;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#entries;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= last.at) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
