/** One item's fate inside a group: its own result, or its own refusal. */
export type GroupOutcome<Result> =
  { readonly ok: true; readonly value: Result } | { readonly ok: false; readonly error: unknown };

export interface GroupCommitLimits {
  /** Items in one commit: bounds how long one transaction holds the write lock. */
  readonly maxItems: number;
  /** Sum of the items' weights (events) in one commit; a single heavier item still goes alone. */
  readonly maxWeight: number;
}

interface Pending<Item, Result> {
  readonly item: Item;
  readonly weight: number;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit. With synchronous=FULL every commit costs one fsync, and a commit blocks the
 * event loop while it waits for the disk, so one commit per command caps a busy process at the
 * disk's fsync rate. Items submitted during one turn of the event loop (the appends of every
 * request in flight) wait for the next turn and share one transaction: one fsync for all. Each
 * caller is answered only after that commit, so an acknowledged append is as durable as before;
 * a lone caller pays one event-loop turn of latency.
 *
 * `commit` runs synchronously and answers each item separately (a refused item must not sink
 * the others: the caller gives each its own savepoint); if it throws, every item of the group
 * is refused with that error, since nothing of the group was committed.
 */
export class GroupCommit<Item, Result> {
  private pending: Array<Pending<Item, Result>> = [];
  private scheduled = false;

  constructor(
    private readonly commit: (items: readonly Item[]) => ReadonlyArray<GroupOutcome<Result>>,
    private readonly limits: GroupCommitLimits,
  ) {}

  submit(item: Item, weight: number): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, weight, resolve, reject });
      this.schedule();
    });
  }

  /** Commits everything pending now: before a close, or before a write that must follow them. */
  flush(): void {
    while (this.pending.length > 0) this.commitNextGroup();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.commitNextGroup();
      if (this.pending.length > 0) this.schedule();
    });
  }

  private commitNextGroup(): void {
    const group = this.takeGroup();
    if (group.length === 0) return;
    let outcomes: ReadonlyArray<GroupOutcome<Result>>;
    try {
      outcomes = this.commit(group.map((pending) => pending.item));
    } catch (error) {
      for (const pending of group) pending.reject(error);
      return;
    }
    group.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }

  private takeGroup(): Array<Pending<Item, Result>> {
    let count = 0;
    let weight = 0;
    while (count < this.pending.length && count < this.limits.maxItems) {
      const next = this.pending[count].weight;
      if (count > 0 && weight + next > this.limits.maxWeight) break;
      weight += next;
      count++;
    }
    return this.pending.splice(0, count);
  }
}
