import type { IncomingMessage } from "node:http";
import type { ArgReader } from "../api/args.js";
import type { ApiContext, UploadEndpoint } from "../api/dispatch.js";
import { routeError } from "../api/errors.js";
import { BLOCK_SIZE, combineBlockDigests } from "./content-hash.js";
import { metadataJson } from "./metadata.js";
import { ContentSink, receiveBody, type Received } from "./upload-body.js";
import { commitUpload, readCommitInfo, type CommitInfo, type UploadedContent } from "./upload-commit.js";
import type { ConcurrentSession, SequentialSession, UploadSession } from "./upload-sessions.js";
import { WriteFailure } from "./write.js";

const SCOPE = "files.content.write";

function tagError(tag: string, extra: Record<string, unknown> = {}) {
  return routeError(tag, { ".tag": tag, ...extra });
}

/** upload_session/finish nests session problems under lookup_failed. */
function finishLookupError(tag: string, extra: Record<string, unknown> = {}) {
  return routeError(`lookup_failed/${tag}`, { ".tag": "lookup_failed", lookup_failed: { ".tag": tag, ...extra } });
}

/** Per-request checks every upload route shares: the size cap and the optional content_hash. */
function checkReceived(received: Received, expectedHash: string | undefined): void {
  if (received.tooLarge) throw tagError("payload_too_large");
  if (expectedHash !== undefined && received.chunkHash !== expectedHash) throw tagError("content_hash_mismatch");
}

async function receive(ctx: ApiContext, req: IncomingMessage, sink: ContentSink, args: ArgReader): Promise<Received> {
  const expectedHash = args.optionalString("content_hash");
  const received = await receiveBody(req, ctx.state.settings.maxRequestBytes, sink, expectedHash !== undefined);
  checkReceived(received, expectedHash);
  return received;
}

/** Wraps a WriteError the way the route reports it. */
function committed(ctx: ApiContext, info: CommitInfo, uploaded: UploadedContent, wrap: (f: WriteFailure) => Error) {
  try {
    return metadataJson(commitUpload(ctx, info, uploaded));
  } catch (error) {
    throw error instanceof WriteFailure ? wrap(error) : error;
  }
}

/** Reads the cursor argument; `notFound` is the route's own shape of the not_found error. */
function lookupSession(ctx: ApiContext, args: ArgReader, notFound: () => Error) {
  const cursor = args.object("cursor");
  const id = cursor.string("session_id");
  const offset = cursor.integer("offset", 0, Number.MAX_SAFE_INTEGER) ?? cursor.fail("offset", "required");
  const found = ctx.state.uploads.get(id, ctx.account.accountId);
  if (!found) throw notFound();
  return { found, offset };
}

/** True if another request changed the session while this one was receiving. */
function raced(ctx: ApiContext, current: SequentialSession, offset: number): boolean {
  return ctx.state.uploads.get(current.id, current.accountId) !== current || current.sink.size !== offset;
}

async function appendSequential(
  ctx: ApiContext,
  args: ArgReader,
  req: IncomingMessage,
  current: SequentialSession,
  offset: number,
  close: boolean,
): Promise<null> {
  if (current.closed) throw tagError("closed");
  if (offset !== current.sink.size) throw tagError("incorrect_offset", { correct_offset: current.sink.size });
  // Written into a copy: a failed or cut-off request leaves the session as it was.
  const sink = current.sink.clone();
  await receive(ctx, req, sink, args);
  if (raced(ctx, current, offset)) throw tagError("incorrect_offset", { correct_offset: current.sink.size });
  current.sink = sink;
  current.closed = close;
  return null;
}

async function appendConcurrent(
  ctx: ApiContext,
  args: ArgReader,
  req: IncomingMessage,
  current: ConcurrentSession,
  offset: number,
  close: boolean,
): Promise<null> {
  // Pieces may arrive in any order, so only data past the closing piece is refused.
  if (current.end !== null && offset >= current.end) throw tagError("closed");
  if (offset % BLOCK_SIZE !== 0) throw tagError("concurrent_session_invalid_offset");
  const sink = ContentSink.create(ctx.state.settings.storeContentUpToBytes);
  const received = await receive(ctx, req, sink, args);
  if (!close && received.size % BLOCK_SIZE !== 0) throw tagError("concurrent_session_invalid_data_size");
  current.pieces.set(offset, {
    offset,
    size: received.size,
    blockDigests: sink.hasher.blockDigests(),
    content: sink.content(),
  });
  if (close) {
    current.closed = true;
    current.end = offset + received.size;
  }
  return null;
}

/** Assembles a closed concurrent session: pieces must tile [0, end) exactly. */
function assemble(ctx: ApiContext, current: ConcurrentSession): UploadedContent {
  if (!current.closed || current.end === null) throw tagError("concurrent_session_not_closed");
  const pieces = [...current.pieces.values()].sort((a, b) => a.offset - b.offset);
  let next = 0;
  for (const piece of pieces) {
    if (piece.offset !== next) throw tagError("concurrent_session_missing_data");
    next += piece.size;
  }
  if (next !== current.end) throw tagError("concurrent_session_missing_data");
  const small = next <= ctx.state.settings.storeContentUpToBytes && pieces.every((piece) => piece.content !== null);
  return {
    size: next,
    contentHash: combineBlockDigests(pieces.flatMap((piece) => piece.blockDigests)),
    content: small ? Buffer.concat(pieces.map((piece) => piece.content as Buffer)) : null,
  };
}

async function finish(
  ctx: ApiContext,
  args: ArgReader,
  req: IncomingMessage,
  current: UploadSession,
  offset: number,
): Promise<unknown> {
  const info = readCommitInfo(args.object("commit"));
  const pathError = (failure: WriteFailure) =>
    routeError(`path/${failure.tag}`, { ".tag": "path", path: failure.json() });
  let uploaded: UploadedContent;
  if (current.type === "concurrent") {
    const received = await receiveBody(req, 0, ContentSink.create(0), false);
    if (received.size > 0) throw tagError("concurrent_session_data_not_allowed");
    uploaded = assemble(ctx, current);
    if (offset !== uploaded.size) throw finishLookupError("incorrect_offset", { correct_offset: uploaded.size });
  } else {
    if (offset !== current.sink.size) {
      throw finishLookupError("incorrect_offset", { correct_offset: current.sink.size });
    }
    const sink = current.sink.clone();
    const received = await receive(ctx, req, sink, args);
    if (current.closed && received.size > 0) throw finishLookupError("closed");
    if (raced(ctx, current, offset)) {
      throw finishLookupError("incorrect_offset", { correct_offset: current.sink.size });
    }
    uploaded = { size: sink.size, contentHash: sink.hasher.hex(), content: sink.content() };
  }
  // A failed commit (conflict, no space) keeps the session so the client can retry finish.
  const metadata = committed(ctx, info, uploaded, pathError);
  ctx.state.uploads.delete(current.id);
  return metadata;
}

export const uploadEndpoints: UploadEndpoint[] = [
  {
    style: "upload",
    path: "/2/files/upload",
    route: "files/upload",
    key: "upload",
    scope: SCOPE,
    handle: async (ctx, args, req) => {
      const info = readCommitInfo(args);
      const sink = ContentSink.create(ctx.state.settings.storeContentUpToBytes);
      await receive(ctx, req, sink, args);
      const uploaded = { size: sink.size, contentHash: sink.hasher.hex(), content: sink.content() };
      return committed(ctx, info, uploaded, (failure) =>
        routeError(`path/${failure.tag}`, { ".tag": "path", reason: failure.json(), upload_session_id: "" }),
      );
    },
  },
  {
    style: "upload",
    path: "/2/files/upload_session/start",
    route: "files/upload_session/start",
    key: "upload_session_start",
    scope: SCOPE,
    handle: async (ctx, args, req) => {
      const close = args.boolean("close", false);
      const type = args.union("session_type", "sequential").tag;
      const accountId = ctx.account.accountId;
      if (type === "concurrent") {
        if (close) throw tagError("concurrent_session_close_not_allowed");
        const received = await receiveBody(req, 0, ContentSink.create(0), false);
        if (received.size > 0) throw tagError("concurrent_session_data_not_allowed");
        const created = ctx.state.uploads.create({ type, accountId, pieces: new Map(), end: null }, false);
        return { session_id: created.id };
      }
      if (type !== "sequential") args.fail("session_type", `unknown session type "${type}"`);
      const sink = ContentSink.create(ctx.state.settings.storeContentUpToBytes);
      await receive(ctx, req, sink, args);
      return { session_id: ctx.state.uploads.create({ type: "sequential", accountId, sink }, close).id };
    },
  },
  {
    style: "upload",
    path: "/2/files/upload_session/append_v2",
    route: "files/upload_session/append_v2",
    key: "upload_session_append_v2",
    scope: SCOPE,
    handle: async (ctx, args, req) => {
      const { found, offset } = lookupSession(ctx, args, () => tagError("not_found"));
      const close = args.boolean("close", false);
      return found.type === "sequential"
        ? appendSequential(ctx, args, req, found, offset, close)
        : appendConcurrent(ctx, args, req, found, offset, close);
    },
  },
  {
    style: "upload",
    path: "/2/files/upload_session/finish",
    route: "files/upload_session/finish",
    key: "upload_session_finish",
    scope: SCOPE,
    handle: async (ctx, args, req) => {
      const { found, offset } = lookupSession(ctx, args, () => finishLookupError("not_found"));
      return finish(ctx, args, req, found, offset);
    },
  },
];
