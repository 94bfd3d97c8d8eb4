import { randomBytes } from "node:crypto";
import type { ContentSink } from "./upload-body.js";

/** Sequential sessions take chunks in order; the emulator hashes them as they come. */
export interface SequentialSession {
  type: "sequential";
  id: string;
  accountId: string;
  createdAt: number;
  closed: boolean;
  sink: ContentSink;
}

/** One append of a concurrent session: only its block digests (and small content) are kept. */
export interface ConcurrentPiece {
  offset: number;
  size: number;
  blockDigests: Buffer[];
  content: Buffer | null;
}

/** Concurrent sessions take 4 MiB-aligned chunks in any order, assembled at finish. */
export interface ConcurrentSession {
  type: "concurrent";
  id: string;
  accountId: string;
  createdAt: number;
  closed: boolean;
  pieces: Map<number, ConcurrentPiece>;
  /** Known once the closing append arrived: the file's total length. */
  end: number | null;
}

export type UploadSession = SequentialSession | ConcurrentSession;

export interface UploadSessionInfo {
  sessionId: string;
  accountId: string;
  type: UploadSession["type"];
  /** Bytes received so far. */
  offset: number;
  closed: boolean;
  createdAt: number;
}

export function receivedBytes(session: UploadSession): number {
  if (session.type === "sequential") return session.sink.size;
  let total = 0;
  for (const piece of session.pieces.values()) total += piece.size;
  return total;
}

type NewSession =
  | Omit<SequentialSession, "id" | "createdAt" | "closed">
  | Omit<ConcurrentSession, "id" | "createdAt" | "closed">;

export class UploadSessionStore {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(private readonly clock: () => number) {}

  create(session: NewSession, closed: boolean): UploadSession {
    const created = {
      ...session,
      id: `emu-us-${randomBytes(16).toString("base64url")}`,
      createdAt: this.clock(),
      closed,
    } as UploadSession;
    this.sessions.set(created.id, created);
    return created;
  }

  /** Sessions belong to one account; another account's id is as good as unknown. */
  get(id: string, accountId: string): UploadSession | undefined {
    const session = this.sessions.get(id);
    return session?.accountId === accountId ? session : undefined;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  list(): UploadSessionInfo[] {
    return [...this.sessions.values()].map((session) => ({
      sessionId: session.id,
      accountId: session.accountId,
      type: session.type,
      offset: receivedBytes(session),
      closed: session.closed,
      createdAt: session.createdAt,
    }));
  }
}
