/**
 * A byte stream read from the database in one snapshot, from its first row to its last, for
 * as long as its reader takes (a CSV export streamed to a browser), while the data changes
 * underneath: writers, or a restore in this process or another.
 *
 * Each stream gets a connection of its own (a Prisma client with one connection) holding one
 * read transaction until the stream is over:
 *   SQLite      a deferred BEGIN: the first SELECT fixes the snapshot and WAL keeps it, while
 *               writers, a restore's backup-API copy included, go on beside it.
 *   PostgreSQL  REPEATABLE READ READ ONLY, whose first statement locks the tables the read
 *               touches (ACCESS SHARE), before any query takes the snapshot. The snapshot
 *               alone would not do: a restore drops and recreates the tables, and a table
 *               created after the snapshot reads as empty, not as it was. With the locks held
 *               a restore's DROP waits for the read to end; a read starting while a restore
 *               holds the tables waits for its COMMIT, then sees only the new data.
 * Not the app's own client: on SQLite that is one connection, which a transaction would hold
 * for as long as a slow browser reads; on PostgreSQL it would hold one of the pool's few.
 *
 * The stream never ends short. It closes after the producer's last chunk; anything else (a
 * query failing, the connection closed under it, the time limit, `signal`: a restore in this
 * process ending reads before it replaces the data) errors it, which the web server turns
 * into an aborted response (no terminating chunk), never a clean end of a partial file.
 */
import type { Prisma } from "../generated/sqlite/client.ts";
import { createPrismaClient } from "./client.ts";
import { q } from "./tables.ts";
import type { DatabaseTarget } from "./url.ts";

/** The queries a snapshot read may run: a transaction's client. */
export type SnapshotDb = Prisma.TransactionClient;

/**
 * Hands one chunk to the reader. Resolves when the reader wants more; rejects once the
 * stream is over early (aborted, timed out, cancelled by the reader), which ends the read.
 */
export type WriteChunk = (chunk: Uint8Array) => Promise<void>;

export type SnapshotStreamOptions = {
  /** Every table the read touches: PostgreSQL locks them before it takes the snapshot. */
  tables: readonly string[];
  /** The longest the snapshot is held (and, on PostgreSQL, waited for); then the stream errors. */
  timeoutMs: number;
  /** Aborting it errors the stream and ends the read. */
  signal?: AbortSignal;
  /** Called once the read transaction is over and its connection closed, however it ended. */
  onEnd?: () => void;
};

/** Why a snapshot stream ended early, as its reader sees it. */
export class SnapshotReadError extends Error {}

export function streamInSnapshot(
  target: DatabaseTarget,
  options: SnapshotStreamOptions,
  produce: (db: SnapshotDb, write: WriteChunk) => Promise<void>,
): ReadableStream<Uint8Array> {
  let controller: ReadableStreamDefaultController<Uint8Array>;
  let stopped: Error | undefined;
  let closed = false;
  let resume: (() => void) | undefined;
  const wake = () => {
    const waiting = resume;
    resume = undefined;
    waiting?.();
  };
  // Errors the stream at once (the reader sees it now, not after the current query) and
  // wakes the producer, whose next write then throws and rolls the transaction back.
  const stop = (reason: Error) => {
    if (stopped || closed) return;
    stopped = reason;
    controller.error(reason);
    wake();
  };
  const onAbort = () =>
    stop(
      options.signal?.reason instanceof Error
        ? options.signal.reason
        : new SnapshotReadError("the read was ended before its last row"),
    );
  const write: WriteChunk = async (chunk) => {
    if (stopped) throw stopped;
    controller.enqueue(chunk);
    // Backpressure: wait until the reader has taken what is queued and pulls again.
    if ((controller.desiredSize ?? 0) <= 0) await new Promise<void>((resolve) => (resume = resolve));
    if (stopped) throw stopped;
  };

  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (options.signal?.aborted) {
        onAbort();
        options.onEnd?.();
        return;
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const timer = setTimeout(
        () => stop(new SnapshotReadError(`the read took longer than its limit of ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      void readInSnapshot(target, options, (db) => produce(db, write))
        .then(
          () => {
            if (stopped) return;
            closed = true; // every chunk is queued: nothing may error the stream now
            controller.close();
          },
          (error: unknown) => stop(error instanceof Error ? error : new SnapshotReadError(String(error))),
        )
        .finally(() => {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
          options.onEnd?.();
        });
    },
    pull() {
      wake();
    },
    cancel() {
      stop(new SnapshotReadError("the reader went away"));
    },
  });
}

/** `read` inside one read transaction on a connection of its own, closed afterwards. */
async function readInSnapshot(
  target: DatabaseTarget,
  options: SnapshotStreamOptions,
  read: (db: SnapshotDb) => Promise<void>,
): Promise<void> {
  const client = await createPrismaClient(target, { poolSize: 1 });
  try {
    await client.$transaction(
      async (tx) => {
        if (target.engine === "postgresql") {
          // Before any query: the isolation level, then the locks, then (first SELECT) the snapshot.
          await tx.$executeRawUnsafe("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${Math.ceil(options.timeoutMs)}`);
          await tx.$executeRawUnsafe(`LOCK TABLE ${options.tables.map(q).join(", ")} IN ACCESS SHARE MODE`);
        }
        await read(tx);
      },
      // Prisma's own limit only backs up the stream's timer, which the reader hears of first.
      { timeout: options.timeoutMs + 5_000 },
    );
  } finally {
    await client.$disconnect().catch(() => undefined);
  }
}
