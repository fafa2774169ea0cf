// The audit log's writer: HMAC-chained JSON lines, group-committed to one locked, rotating file.
import { open, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuditLogClosedError, AuditLogCorruptError, AuditLogError, AuditLogWriteError, AuditRecordError } from './audit-errors.js';
import { lockPathOf, rotatedFiles, rotatedPathOf } from './audit-files.js';
import { nodeAuditIo, type AuditIo } from './audit-io.js';
import { checkLine, formatLine, GENESIS_MAC, serializeRecord, type ChainLink, type CheckedLine } from './audit-line.js';
import { acquireAuditLock, type AuditLock } from './audit-lock.js';
import { resolveAuditLogOptions, type AuditLogOptions, type ResolvedAuditLogOptions } from './audit-options.js';
import { repairAndReadTail, type LogTail } from './audit-tail.js';

/** A line's place in the log: an anchor to store elsewhere, to detect a log cut short later (`verifyAuditLog`'s `expectedHead`). */
export interface AuditHead {
  seq: number;
  /** The line's MAC, lowercase hex. */
  mac: string;
  /** The file the line was written to. After a rotation the line is in the rotated file that took that name's content. */
  file: string;
}

/** What an append resolves to once its line is durable (per `sync`). */
export type AuditAck = AuditHead;

export interface AuditLog {
  /** The active file. */
  readonly path: string;
  /** The last acknowledged line (after opening, the last line already in the log); undefined before any. */
  readonly head: AuditHead | undefined;
  /**
   * Queues `record` (a plain object; `seq`, `time`, `prev` and `mac` are the log's own and
   * rejected) and resolves once its line is durable per `sync`. Opens the log on first use.
   */
  append(record: Record<string, unknown>): Promise<AuditAck>;
  /** Opens the log now (lock, repair, continue the chain) rather than on the first append, so a held lock shows at start-up. */
  open(): Promise<AuditHead | undefined>;
  /** Resolves once every append made so far has been answered; rejects if the log has failed. */
  flush(): Promise<void>;
  /** Flushes, syncs (also with `sync: 'none'`), closes the file and releases the lock. Later appends reject. */
  close(): Promise<void>;
}

interface PendingAppend {
  recordJson: string;
  time: string;
  resolve(ack: AuditAck): void;
  reject(error: unknown): void;
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

function timeOf(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new AuditRecordError(`the clock (\`now\`) returned ${typeof ms === 'number' ? String(ms) : `a ${typeof ms}`}, not epoch milliseconds`);
  try {
    return new Date(ms).toISOString();
  } catch {
    throw new AuditRecordError(`the clock (\`now\`) returned ${ms}, outside the dates an ISO time can name`);
  }
}

const utcDay = (isoTime: string) => isoTime.slice(0, 10);

class FileAuditLog implements AuditLog {
  readonly path: string;
  readonly #options: ResolvedAuditLogOptions;
  readonly #io: AuditIo;
  #lock: AuditLock | undefined;
  #handle: FileHandle | undefined;
  #opening: Promise<void> | undefined;
  /** The last line written (acknowledged or about to be): the next line's `prev`. */
  #chain: ChainLink = { seq: 0, mac: GENESIS_MAC };
  #head: AuditHead | undefined;
  #activeBytes = 0;
  /** The UTC day of the active file's last line. */
  #activeDay: string | undefined;
  /** A name was created or renamed in the directory since it was last synced. */
  #directoryDirty = false;
  #queue: PendingAppend[] = [];
  #draining: Promise<void> | undefined;
  #failure: AuditLogError | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedAuditLogOptions, io: AuditIo) {
    this.#options = options;
    this.#io = io;
    this.path = options.path;
  }

  get head(): AuditHead | undefined {
    return this.#head;
  }

  append(record: Record<string, unknown>): Promise<AuditAck> {
    if (this.#closing) return Promise.reject(new AuditLogClosedError(this.path));
    if (this.#failure) return Promise.reject(this.#failure);
    let recordJson: string;
    let time: string;
    try {
      recordJson = serializeRecord(record);
      time = timeOf(this.#options.now());
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AuditAck>((resolve, reject) => {
      this.#queue.push({ recordJson, time, resolve, reject });
      // Group commit: one drain at a time; what is appended while it writes goes in its next batch.
      this.#draining ??= this.#drain();
    });
  }

  async open(): Promise<AuditHead | undefined> {
    if (this.#closing) throw new AuditLogClosedError(this.path);
    await this.#ensureOpen();
    return this.#head;
  }

  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
    if (this.#failure) throw this.#failure;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    while (this.#draining) await this.#draining;
    await this.#opening?.catch(() => undefined);
    const handle = this.#handle;
    this.#handle = undefined;
    try {
      if (handle) {
        try {
          if (this.#options.sync === 'none' && !this.#failure) await this.#io.datasync(handle);
        } finally {
          await handle.close();
        }
      }
    } catch (error) {
      throw error instanceof AuditLogError ? error : new AuditLogWriteError(this.path, 'closing', error);
    } finally {
      await this.#lock?.release();
      this.#lock = undefined;
    }
  }

  #ensureOpen(): Promise<void> {
    this.#opening ??= this.#openFiles().catch((error: unknown) => {
      // A failed open (a held lock) may succeed later: the next append tries again.
      this.#opening = undefined;
      throw error;
    });
    return this.#opening;
  }

  async #openFiles(): Promise<void> {
    const { path } = this;
    const lock = await acquireAuditLock(path, lockPathOf(path));
    let handle: FileHandle | undefined;
    try {
      if (!(await exists(path))) this.#directoryDirty = true;
      handle = await open(path, 'a+');
      const tail = await this.#repairTail(handle, path);
      if (tail.lastLine !== undefined) {
        const line = this.#checkTail(path, tail.lastLine);
        this.#continueFrom(line, path);
        this.#activeBytes = tail.size;
        this.#activeDay = utcDay(line.time);
      } else {
        // An empty active file: a rotation ended before its first line; the chain goes on from the newest rotated file.
        const newest = (await rotatedFiles(path)).at(-1);
        if (newest !== undefined) this.#continueFrom(await this.#newestRotatedLine(newest), newest);
      }
      this.#handle = handle;
      this.#lock = lock;
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await lock.release().catch(() => undefined);
      throw error instanceof AuditLogError ? error : new AuditLogWriteError(path, 'opening the log', error);
    }
  }

  async #newestRotatedLine(file: string): Promise<CheckedLine> {
    const handle = await open(file, 'r+');
    try {
      const tail = await this.#repairTail(handle, file);
      if (tail.lastLine === undefined) throw new AuditLogCorruptError(file, 'the newest rotated file has no complete line; restore it, or move it away to start a new chain');
      return this.#checkTail(file, tail.lastLine);
    } finally {
      await handle.close();
    }
  }

  async #repairTail(handle: FileHandle, file: string): Promise<LogTail> {
    const tail = await repairAndReadTail(handle);
    if (tail.tornBytes > 0) {
      if (this.#options.sync === 'always') await this.#io.datasync(handle);
      this.#options.onWarning({
        code: 'torn_tail_truncated',
        file,
        bytes: tail.tornBytes,
        message: `Audit log ${file}: cut away an unfinished last line of ${tail.tornBytes} bytes (a crash mid-write; it was never acknowledged).`,
      });
    }
    return tail;
  }

  #checkTail(file: string, text: string): CheckedLine {
    const line = checkLine(this.#options.key, text);
    if (line.ok) return line;
    throw new AuditLogCorruptError(
      file,
      line.reason === 'mac'
        ? 'its last line does not verify with this key (another key, or the line was altered); check the key, and run verifyAuditLog to find the first broken line'
        : 'its last line is not an audit log line; run verifyAuditLog to find the first broken line, or point `path` at another file',
    );
  }

  #continueFrom(line: CheckedLine, file: string): void {
    this.#chain = { seq: line.seq, mac: line.mac };
    this.#head = { seq: line.seq, mac: line.mac, file };
  }

  async #drain(): Promise<void> {
    try {
      try {
        await this.#ensureOpen();
      } catch (error) {
        this.#rejectQueued(error);
        return;
      }
      while (this.#queue.length > 0 && !this.#failure) await this.#commit(this.#queue.splice(0));
      if (this.#failure) this.#rejectQueued(this.#failure);
    } finally {
      // Reached with no await after the loop's last check, so no append can slip in unseen.
      this.#draining = undefined;
    }
  }

  #rejectQueued(error: unknown): void {
    for (const pending of this.#queue.splice(0)) pending.reject(error);
  }

  /** Writes a batch: one write() and one sync per file it lands in, then acknowledges it whole. */
  async #commit(batch: PendingAppend[]): Promise<void> {
    const acks: AuditAck[] = [];
    let chunk: string[] = [];
    try {
      for (const pending of batch) {
        const line = formatLine(this.#options.key, this.#chain, pending.time, pending.recordJson);
        const day = utcDay(pending.time);
        if (this.#activeBytes > 0 && this.#mustRotate(line.text.length, day)) {
          await this.#writeChunk(chunk);
          chunk = [];
          await this.#rotate();
        }
        chunk.push(line.text);
        this.#activeBytes += line.text.length;
        this.#activeDay = day;
        this.#chain = { seq: this.#chain.seq + 1, mac: line.mac };
        acks.push({ seq: this.#chain.seq, mac: line.mac, file: this.path });
      }
      await this.#writeChunk(chunk);
      if (this.#options.sync === 'always' && this.#directoryDirty) {
        await this.#io.syncDirectory(dirname(this.path)).catch((error: unknown) => {
          throw new AuditLogWriteError(this.path, 'fsync of its directory', error);
        });
        this.#directoryDirty = false;
      }
    } catch (error) {
      // The file's end is unknown now: this batch and every later append fail until the log is created again.
      this.#failure = error instanceof AuditLogError ? error : new AuditLogWriteError(this.path, 'appending', error);
      for (const pending of batch) pending.reject(this.#failure);
      return;
    }
    this.#head = acks.at(-1);
    batch.forEach((pending, index) => pending.resolve(acks[index] as AuditAck));
  }

  #mustRotate(lineBytes: number, day: string): boolean {
    const { maxBytes, daily } = this.#options;
    return (maxBytes !== undefined && this.#activeBytes + lineBytes > maxBytes) || (daily && this.#activeDay !== undefined && day !== this.#activeDay);
  }

  async #writeChunk(chunk: string[]): Promise<void> {
    const handle = this.#handle;
    if (chunk.length === 0 || !handle) return;
    // Lines are ASCII: latin1 turns each character into its one byte.
    const data = Buffer.from(chunk.join(''), 'latin1');
    await this.#io.write(handle, data).catch((error: unknown) => {
      throw new AuditLogWriteError(this.path, 'write()', error);
    });
    if (this.#options.sync === 'always') {
      await this.#io.datasync(handle).catch((error: unknown) => {
        throw new AuditLogWriteError(this.path, 'fdatasync', error);
      });
    }
  }

  /**
   * Renames the full active file to its rotated name and starts a new one. Its lines are
   * durable already; the rename is synced before the new file gets a line, so after a crash
   * at any point the newest rotated file or the active one holds the chain's last line.
   */
  async #rotate(): Promise<void> {
    const { path } = this;
    const rotated = rotatedPathOf(path, this.#chain.seq);
    if (await exists(rotated)) throw new AuditLogCorruptError(path, `the rotated file ${rotated} exists already; move it away before appending again`);
    const handle = this.#handle;
    this.#handle = undefined;
    const step = async (what: string, action: () => Promise<unknown>) => {
      await action().catch((error: unknown) => {
        throw new AuditLogWriteError(path, what, error);
      });
    };
    if (handle) await step('closing the full file', () => handle.close());
    await step(`renaming it to ${rotated}`, () => rename(path, rotated));
    if (this.#options.sync === 'always') await step('fsync of its directory', () => this.#io.syncDirectory(dirname(path)));
    await step('creating the next file', async () => {
      this.#handle = await open(path, 'ax+');
    });
    this.#directoryDirty = true;
    this.#activeBytes = 0;
    this.#activeDay = undefined;
  }
}

/** A writer of the audit log at `options.path`; throws `ConfigError` for bad options. The file is opened on first use (or `open()`). */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  return new FileAuditLog(resolveAuditLogOptions(options), nodeAuditIo);
}

/** `createAuditLog` over other file operations: tests count syncs and fail writes with it. Not exported from the package. */
export function createAuditLogWithIo(options: AuditLogOptions, io: AuditIo): AuditLog {
  return new FileAuditLog(resolveAuditLogOptions(options), io);
}
