// From a path to pixels, through the cache, turning every failure into a reason instead of a
// throw: the batch stream decides what to do with a bad file, not the decoder.

import { readFile, stat } from 'node:fs/promises';
import { EMPTY_FILE, NOT_A_REGULAR_FILE, describeLoadError } from './bad-files.js';
import { DecodeCache, decodeCacheKey } from './decode-cache.js';
import { type DecodeArgs, type ResolvedDecodeArgs, decodeImage, resolveDecodeArgs } from './decode.js';

export type LoadResult =
  | { readonly ok: true; readonly pixels: Uint8Array }
  | { readonly ok: false; readonly reason: string };

export interface ImageLoaderArgs extends DecodeArgs {
  /** Shared with other loaders if given; null turns caching off. Default: a cache of its own. */
  cache?: DecodeCache | null;
}

export interface ImageLoaderStats {
  /** Calls to load(). */
  readonly requests: number;
  /** Files read and handed to the decoder (cache misses, not counting known-bad files). */
  readonly decodes: number;
  readonly cacheHits: number;
  readonly failures: number;
}

export class ImageLoader {
  readonly decode: ResolvedDecodeArgs;
  readonly cache: DecodeCache | null;
  // Remembering failures spares re-reading a corrupt file every epoch; keyed like the cache,
  // so a file that gets fixed is tried again.
  readonly #failed = new Map<string, string>();
  #requests = 0;
  #decodes = 0;
  #cacheHits = 0;
  #failures = 0;

  constructor(args: ImageLoaderArgs) {
    this.decode = resolveDecodeArgs(args);
    this.cache = args.cache === undefined ? new DecodeCache() : args.cache;
  }

  get height(): number {
    return this.decode.height;
  }

  get width(): number {
    return this.decode.width;
  }

  /** The pixels are shared with the cache: read them, copy them, never write into them. */
  async load(path: string): Promise<LoadResult> {
    this.#requests++;
    let key: string;
    try {
      const info = await stat(path);
      if (!info.isFile()) return this.#fail(NOT_A_REGULAR_FILE);
      if (info.size === 0) return this.#fail(EMPTY_FILE);
      key = decodeCacheKey(path, info, this.decode);
    } catch (err) {
      return this.#fail(describeLoadError(err));
    }
    const cached = this.cache?.get(key);
    if (cached !== undefined) {
      this.#cacheHits++;
      return { ok: true, pixels: cached };
    }
    const known = this.#failed.get(key);
    if (known !== undefined) return this.#fail(known);
    try {
      const bytes = await readFile(path);
      this.#decodes++;
      const pixels = await decodeImage(bytes, this.decode);
      this.cache?.set(key, pixels);
      return { ok: true, pixels };
    } catch (err) {
      const reason = describeLoadError(err);
      this.#failed.set(key, reason);
      return this.#fail(reason);
    }
  }

  get stats(): ImageLoaderStats {
    return {
      requests: this.#requests,
      decodes: this.#decodes,
      cacheHits: this.#cacheHits,
      failures: this.#failures,
    };
  }

  #fail(reason: string): LoadResult {
    this.#failures++;
    return { ok: false, reason };
  }
}
