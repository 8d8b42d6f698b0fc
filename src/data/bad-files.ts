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
}

const ERRNO_REASONS: Record<string, string> = {
  ENOENT: 'unreadable: file not found',
  EACCES: 'unreadable: permission denied',
  EPERM: 'unreadable: permission denied',
  EISDIR: 'unreadable: is a folder',
  ELOOP: 'unreadable: symbolic link loop',
  EIO: 'unreadable: I/O error',
};

/** One line saying why a file could not be read or decoded. */
export function describeLoadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return ERRNO_REASONS[code] ?? `unreadable: ${code}`;
  const message = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(message)) return 'not an image in a supported format';
  if (/pixel limit/i.test(message)) return "too large: over the decoder's pixel limit";
  const firstLine = message.split('\n', 1)[0]!.trim();
  return `corrupt image: ${firstLine}`;
}
