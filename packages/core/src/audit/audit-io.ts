// The file operations the log's durability rests on, behind an interface so tests can count syncs and make writes fail.
import { open, type FileHandle } from 'node:fs/promises';

export interface AuditIo {
  /** Writes all of `data` at the end of the file (the handle is O_APPEND). */
  write(handle: FileHandle, data: Uint8Array): Promise<void>;
  /** fdatasync: the data written, and the size that reaches it, are on disk. */
  datasync(handle: FileHandle): Promise<void>;
  /** fsync of a directory: the names created and renamed in it are on disk. */
  syncDirectory(directory: string): Promise<void>;
}

export const nodeAuditIo: AuditIo = {
  async write(handle, data) {
    // A regular file takes a write whole unless the disk is full; a short write is continued, and its error then surfaces.
    for (let offset = 0; offset < data.byteLength; ) {
      const { bytesWritten } = await handle.write(data, offset, data.byteLength - offset, null);
      if (bytesWritten <= 0) throw new Error('write() wrote nothing');
      offset += bytesWritten;
    }
  },
  datasync: (handle) => handle.datasync(),
  async syncDirectory(directory) {
    // Windows cannot open a directory to sync it; its file system orders the metadata itself.
    if (process.platform === 'win32') return;
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
