/**
 * What the client saw, kept for the checks after the run: every command sent and its answer.
 * Plain data, so the verification can be tested on a journal made up by hand.
 */
export type Command =
  | { readonly kind: 'enrol'; readonly key: string; readonly userId: string; readonly nik: string }
  | { readonly kind: 'approve'; readonly key: string; readonly userId: string; readonly batchId: string }
  | { readonly kind: 'bank-result'; readonly userId: string; readonly fileName: string };

export interface Answer {
  readonly endpoint: string;
  readonly command: Command;
  readonly status: number;
  /** The error's code (`DUPLICATE_ENROLMENT`…) on a 4xx/5xx. */
  readonly code?: string;
  /** `Idempotent-Replayed: true`: the first answer to this key, sent again. */
  readonly replayed: boolean;
  /** A command's receipt (`id`, `position`), or an upload's job (`id`, `sha256`). */
  readonly receipt?: { readonly id: string; readonly position?: number | null; readonly sha256?: string };
}

export class Journal {
  readonly answers: Answer[] = [];
  /** How many times each idempotency key was sent (a key sent twice may meet itself in progress). */
  readonly sentKeys = new Map<string, number>();
  /** How many requests were sent per NIK (a NIK sent twice may race itself). */
  readonly sentNiks = new Map<string, number>();
  /**
   * Requests sent and not answered yet. autocannon stops at the deadline without waiting for the
   * answers in flight; those commands may have been written, and the client cannot know.
   */
  private readonly pending = new Map<Command, number>();

  sent(command: Command): void {
    if (command.kind !== 'bank-result') this.sentKeys.set(command.key, (this.sentKeys.get(command.key) ?? 0) + 1);
    if (command.kind === 'enrol') this.sentNiks.set(command.nik, (this.sentNiks.get(command.nik) ?? 0) + 1);
    this.pending.set(command, (this.pending.get(command) ?? 0) + 1);
  }

  answered(answer: Answer): void {
    this.answers.push(answer);
    const left = (this.pending.get(answer.command) ?? 0) - 1;
    if (left > 0) this.pending.set(answer.command, left);
    else this.pending.delete(answer.command);
  }

  /** The commands whose answer never came (cut off when the run ended, or timed out). */
  unanswered(): Command[] {
    return [...this.pending.keys()];
  }
}

/** The parts of an answer the journal keeps, from autocannon's raw status, body and headers. */
export function answerOf(
  endpoint: string,
  command: Command,
  status: number,
  body: string,
  headers: Record<string, string | string[] | undefined>,
): Answer {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's page, a cut body): status alone tells
  }
  const ok = status >= 200 && status < 300;
  return {
    endpoint,
    command,
    status,
    code: ok ? undefined : typeof parsed.code === 'string' ? parsed.code : 'NO_CODE',
    // autocannon hands the headers over as the server spelled them (`Idempotent-Replayed`).
    replayed: Object.entries(headers).some(
      ([name, value]) => name.toLowerCase() === 'idempotent-replayed' && String(value) === 'true',
    ),
    receipt: ok
      ? {
          id: String(parsed.id),
          position: typeof parsed.position === 'number' || parsed.position === null ? parsed.position : undefined,
          sha256: typeof parsed.sha256 === 'string' ? parsed.sha256 : undefined,
        }
      : undefined,
  };
}
