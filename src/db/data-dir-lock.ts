import { open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";

export interface DataDirLock {
  release(): Promise<void>;
}

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

/**
 * PGlite is a single-process database: two servers on one DATA_DIR would corrupt it.
 * A pid file refuses the second; a file left by a dead process is taken over.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, "server.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new DataDirInUseError(
          `DATA_DIR ${dataDir} is in use by process ${pid}; stop it or choose another DATA_DIR`,
        );
      }
      await unlink(path).catch(() => undefined);
    }
  }
  throw new DataDirInUseError(`could not lock DATA_DIR ${dataDir}`);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
