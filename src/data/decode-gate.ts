// A readers-writer gate for decodes. libvips keeps one error buffer for the whole process and
// sharp clears it at the end of every operation, successful or not, so a decode that fails
// while others run reports their messages, or none ("Unknown error"). Decodes share the gate;
// a failed one is repeated alone, when its message can only be its own.

export class DecodeGate {
  #shared = 0;
  #exclusive = false;
  /** Waiters in arrival order; an exclusive waiter holds back the shared ones behind it. */
  readonly #queue: { readonly exclusive: boolean; readonly start: () => void }[] = [];

  /** Runs fn alongside other shared work, once no exclusive work is running or waiting ahead. */
  shared<T>(fn: () => Promise<T>): Promise<T> {
    return this.#run(false, fn);
  }

  /** Runs fn with nothing else inside the gate. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#run(true, fn);
  }

  async #run<T>(exclusive: boolean, fn: () => Promise<T>): Promise<T> {
    if (this.#queue.length > 0 || !this.#canEnter(exclusive)) {
      await new Promise<void>((start) => this.#queue.push({ exclusive, start }));
    } else {
      this.#enter(exclusive);
    }
    try {
      return await fn();
    } finally {
      if (exclusive) this.#exclusive = false;
      else this.#shared--;
      this.#admit();
    }
  }

  #canEnter(exclusive: boolean): boolean {
    return exclusive ? !this.#exclusive && this.#shared === 0 : !this.#exclusive;
  }

  #enter(exclusive: boolean): void {
    if (exclusive) this.#exclusive = true;
    else this.#shared++;
  }

  #admit(): void {
    while (this.#queue.length > 0 && this.#canEnter(this.#queue[0]!.exclusive)) {
      const next = this.#queue.shift()!;
      this.#enter(next.exclusive);
      next.start();
    }
  }
}
