// Files that looked like images but could not be used. A bad file never stops a run: it is
// skipped, and the person gets a list of what was skipped and why.

export interface BadFile {
  readonly path: string;
  readonly reason: string;
}

export interface BadFileReportArgs {
  /** Called once per file, the first time it turns out bad, so a run can warn as it goes. */
  onAdd?: (bad: BadFile) => void;
}

export class BadFileReport {
  readonly #reasons = new Map<string, string>();
  readonly #onAdd: ((bad: BadFile) => void) | undefined;

  constructor(args: BadFileReportArgs = {}) {
    this.#onAdd = args.onAdd;
  }

  /** Records a file; a file met again (next epoch) keeps its first reason. Returns whether it was new. */
  add(path: string, reason: string): boolean {
    if (this.#reasons.has(path)) return false;
    this.#reasons.set(path, reason);
    this.#onAdd?.({ path, reason });
    return true;
  }

  has(path: string): boolean {
    return this.#reasons.has(path);
  }

  get size(): number {
    return this.#reasons.size;
  }

  /** Sorted by path, so two runs over the same folder report identically. */
  list(): BadFile[] {
    return [...this.#reasons]
      .map(([path, reason]) => ({ path, reason }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  toJSON(): BadFile[] {
    return this.list();
  }

  /** Counts by kind, most common first, e.g. "3 corrupt, 1 empty". */
  summary(): string {
    return summariseReasons([...this.#reasons.values()]);
  }
}

export const EMPTY_FILE = 'empty file (0 bytes)';
export const NOT_A_REGULAR_FILE = 'unreadable: not a regular file';

/** Each reason starts with the prefix of its kind; the kinds are what a summary counts. */
const KINDS: readonly (readonly [prefix: string, kind: string])[] = [
  ['unreadable folder', 'unreadable folder'],
  ['unreadable', 'unreadable'],
  ['empty file', 'empty'],
  ['not an image', 'not an image'],
  ['too large', 'too large'],
  ['corrupt image', 'corrupt'],
];

export function reasonKind(reason: string): string {
  return KINDS.find(([prefix]) => reason.startsWith(prefix))?.[1] ?? 'other';
}

export function summariseReasons(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) {
    const kind = reasonKind(reason);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
}

const ERRNO_REASONS: Record<string, string> = {
  ENOENT: 'unreadable: file not found',
  EACCES: 'unreadable: permission denied',
  EPERM: 'unreadable: permission denied',
  EISDIR: 'unreadable: is a folder',
  ELOOP: 'unreadable: symbolic link loop',
  EIO: 'unreadable: I/O error',
};

/** Decoder messages for the commonest fault, a file cut off part-way, in plain words. */
const TRUNCATED: readonly (readonly [pattern: RegExp, reason: string])[] = [
  [/premature end of JPEG/i, 'corrupt image: truncated JPEG (data ends before the image does)'],
  [/pngload.*end of stream/i, 'corrupt image: truncated PNG (data ends before the image does)'],
];

/** One line saying why a file could not be read or decoded. */
export function describeLoadError(err: unknown): string {
  const code = errnoCode(err);
  if (code !== undefined) return ERRNO_REASONS[code] ?? `unreadable: ${code}`;
  const message = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(message)) return 'not an image in a supported format';
  if (/pixel limit/i.test(message)) return "too large: over the decoder's pixel limit";
  const truncated = TRUNCATED.find(([pattern]) => pattern.test(message));
  if (truncated) return truncated[1];
  const firstLine = message.split('\n', 1)[0]!.trim();
  return `corrupt image: ${firstLine}`;
}

/** Why a folder inside the data could not be listed. */
export function describeFolderError(err: unknown): string {
  const code = errnoCode(err);
  const why = code === undefined ? String(err) : ERRNO_REASONS[code]?.replace(/^unreadable: /, '') ?? code;
  return `unreadable folder: ${why}`;
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
