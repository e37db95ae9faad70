/**
 * One call the sandbox answered (or refused).
 *
 * @public
 */
export interface JournalEntry {
  /** Sequence number, from 1. */
  seq: number;
  /** Which emulated API: container, compute, sqladmin, dns, kubernetes… */
  service: string;
  /** HTTP method. */
  method: string;
  /** Path without host, with query. */
  path: string;
  /** Decoded JSON (or YAML for server-side apply) body, if any. */
  body?: unknown;
  /** HTTP status the sandbox answered with. */
  status: number;
  /**
   * True for calls that change state (POST, PUT, PATCH, DELETE), whatever their outcome. Google's
   * read-only custom methods sent as POST (`…:getIamPolicy`, `…:testIamPermissions`, Compute's
   * `…/operations/{op}/wait`) are not mutating.
   */
  mutating: boolean;
  /** Real epoch ms when the call arrived. */
  at: number;
}

/**
 * Every call the sandbox saw, in order. Tests assert on it ("0 mutating calls").
 *
 * @public
 */
export class Journal {
  private readonly entries: JournalEntry[] = [];

  /** Adds a call to the journal, numbered and timed; returns the entry. */
  record(entry: Omit<JournalEntry, 'seq' | 'at' | 'mutating'>): JournalEntry {
    const full: JournalEntry = {
      ...entry,
      seq: this.entries.length + 1,
      at: Date.now(),
      mutating: isMutating(entry.method, entry.path),
    };
    this.entries.push(full);
    return full;
  }

  /** All entries, optionally filtered. */
  list(
    filter?: Partial<Pick<JournalEntry, 'service' | 'method' | 'mutating'>>,
  ): JournalEntry[] {
    if (!filter) return [...this.entries];
    return this.entries.filter(e =>
      Object.entries(filter).every(([k, v]) => (e as any)[k] === v),
    );
  }

  /** Calls that changed (or tried to change) state. */
  mutating(): JournalEntry[] {
    return this.list({ mutating: true });
  }

  /** How many calls the journal holds. */
  get length(): number {
    return this.entries.length;
  }

  /** Forgets every call. */
  clear(): void {
    this.entries.length = 0;
  }
}

const READ_ONLY_POST =
  /(:getIamPolicy|:testIamPermissions|\/operations\/[^/]+\/wait)$/;

function isMutating(method: string, path: string): boolean {
  const verb = method.toUpperCase();
  if (['GET', 'HEAD', 'OPTIONS'].includes(verb)) return false;
  const bare = path.split('?')[0];
  return !(verb === 'POST' && READ_ONLY_POST.test(bare));
}
