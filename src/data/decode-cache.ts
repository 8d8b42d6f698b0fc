// Decoded pixels kept between epochs, so only the first pass pays for decoding. The budget is in
// bytes and the least recently used image goes first: a folder bigger than the budget still
// trains, it just decodes some images again.

import type { ResolvedDecodeArgs } from './decode.js';

export const DEFAULT_DECODE_CACHE_BYTES = 512 * 1024 * 1024;

export interface DecodeCacheArgs {
  /** Default 512 MiB: about 3,400 images at 224x224. 0 keeps nothing. */
  maxBytes?: number;
}

export interface DecodeCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
}

/** A file edited in place gets a new mtime or size, so its stale pixels are never served. */
export function decodeCacheKey(
  path: string,
  file: { readonly mtimeMs: number; readonly size: number },
  args: ResolvedDecodeArgs,
): string {
  return JSON.stringify([path, file.mtimeMs, file.size, args.height, args.width, args.mode, args.fill]);
}

export class DecodeCache {
  readonly maxBytes: number;
  // A Map iterates in insertion order; re-inserting on every hit makes the first key the LRU one.
  readonly #entries = new Map<string, Uint8Array>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(args: DecodeCacheArgs = {}) {
    const maxBytes = args.maxBytes ?? DEFAULT_DECODE_CACHE_BYTES;
    if (!(maxBytes >= 0)) throw new RangeError(`cache budget must be >= 0 bytes, got ${maxBytes}`);
    this.maxBytes = maxBytes;
  }

  /** The cached pixels are shared: callers must not write into them. */
  get(key: string): Uint8Array | undefined {
    const pixels = this.#entries.get(key);
    if (pixels === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    this.#entries.delete(key);
    this.#entries.set(key, pixels);
    return pixels;
  }

  set(key: string, pixels: Uint8Array): void {
    const old = this.#entries.get(key);
    if (old !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= old.byteLength;
    }
    if (pixels.byteLength > this.maxBytes) return;
    this.#entries.set(key, pixels);
    this.#bytes += pixels.byteLength;
    for (const [oldest, evicted] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= evicted.byteLength;
      this.#evictions++;
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  get stats(): DecodeCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
      entries: this.#entries.size,
      bytes: this.#bytes,
      maxBytes: this.maxBytes,
    };
  }
}
