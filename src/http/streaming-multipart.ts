import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { Busboy } from "@fastify/busboy";
import { UploadInterruptedError } from "../dropbox/chunk-reader.js";
import type { IncomingFile } from "../dropbox/exports.js";
import { sendJson } from "./respond.js";
import { registerUpload, STREAMING_UPLOAD_KEY } from "./upload-registry.js";

const MAX_FIELD_BYTES = 1024 * 1024;

/** Forwards a JSON GraphQL request (with the caller's credentials) to Yoga. */
export type ForwardGraphQL = (body: string) => Promise<Response>;

/**
 * GraphQL multipart requests (the graphql-multipart-request spec) with the file streamed:
 * Yoga's own support reads every file into memory first, which a 1 GiB export cannot afford.
 * `operations` and `map` arrive first (the spec requires it); when the file part starts, the
 * operation runs with the live stream in place of the file. One file per request.
 */
export function handleStreamingMultipart(req: IncomingMessage, res: ServerResponse, forward: ForwardGraphQL): Promise<void> {
  return new Promise((resolve) => {
    let operations: Record<string, unknown> | undefined;
    let map: Record<string, unknown> | undefined;
    let settled = false;
    let busboy: ReturnType<typeof Busboy>;

    const fail = (status: number, message: string) => {
      if (settled) return;
      settled = true;
      req.unpipe();
      req.resume();
      sendJson(res, status, { errors: [{ message }] });
      resolve();
    };
    const run = async (file?: IncomingFile) => {
      settled = true;
      try {
        const response = await forward(JSON.stringify(operations));
        file?.discard();
        const headers: Record<string, string | string[]> = {};
        response.headers.forEach((value, key) => {
          if (key !== "set-cookie") headers[key] = value;
        });
        const cookies = response.headers.getSetCookie();
        if (cookies.length) headers["set-cookie"] = cookies;
        res.writeHead(response.status, headers);
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch {
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Unexpected error." }] });
        else res.destroy();
      }
      resolve();
    };

    try {
      busboy = Busboy({
        headers: req.headers as { "content-type": string },
        limits: { fieldSize: MAX_FIELD_BYTES, fields: 2, files: 1, parts: 3 },
      });
    } catch {
      fail(400, "Malformed multipart request");
      return;
    }

    busboy.on("field", (name, value, _nameTruncated, valueTruncated) => {
      if (settled) return;
      if (valueTruncated) return fail(413, `The ${name} field exceeds ${MAX_FIELD_BYTES} bytes`);
      try {
        const parsed = JSON.parse(value) as unknown;
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          return fail(400, name === "operations" ? "Batched or malformed operations are not supported" : `Invalid ${name} field`);
        }
        if (name === "operations") operations = parsed as Record<string, unknown>;
        else if (name === "map") map = parsed as Record<string, unknown>;
        else fail(400, `Unexpected multipart field ${name}`);
      } catch {
        fail(400, `The ${name} field is not valid JSON`);
      }
    });

    busboy.on("file", (fieldName, stream, fileName, _encoding, mimeType) => {
      if (settled) {
        stream.resume();
        return;
      }
      if (!operations || !map) {
        stream.resume();
        return fail(400, "The operations and map fields must come before the file");
      }
      const paths = map[fieldName];
      if (!Array.isArray(paths) || paths.length !== 1 || typeof paths[0] !== "string") {
        stream.resume();
        return fail(400, `map must name exactly one variable for file ${fieldName}`);
      }
      const file = incomingFile(stream, fileName, mimeType, req);
      const registration = registerUpload(file);
      if (!setVariable(operations, paths[0], { [STREAMING_UPLOAD_KEY]: registration.id })) {
        registration.release();
        stream.resume();
        return fail(400, `map path ${paths[0]} does not point into variables`);
      }
      void run(file).finally(registration.release);
    });

    busboy.on("finish", () => {
      if (settled) return;
      if (!operations) return fail(400, "The multipart request has no operations field");
      void run();
    });
    busboy.on("error", () => fail(400, "Malformed multipart request"));
    busboy.on("partsLimit", () => fail(400, "Only one file per request is supported"));
    busboy.on("filesLimit", () => fail(400, "Only one file per request is supported"));
    busboy.on("fieldsLimit", () => fail(400, "Only the operations and map fields are supported"));
    req.pipe(busboy);
  });
}

function incomingFile(stream: Readable, name: string, type: string, req: IncomingMessage): IncomingFile {
  // A client that goes away mid-file must fail the upload, not leave it waiting forever.
  const onAbort = () => {
    if (!stream.readableEnded) stream.destroy(new UploadInterruptedError("client disconnected"));
  };
  req.once("aborted", onAbort);
  req.once("close", () => {
    if (!req.complete) onAbort();
  });
  return {
    name,
    type,
    stream: () => stream,
    discard() {
      if (!stream.destroyed) stream.resume();
    },
  };
}

function setVariable(operations: Record<string, unknown>, path: string, value: unknown): boolean {
  const parts = path.split(".");
  if (parts[0] !== "variables" || parts.length < 2) return false;
  let node: unknown = operations;
  for (const part of parts.slice(0, -1)) {
    if (typeof node !== "object" || node === null) return false;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node !== "object" || node === null) return false;
  (node as Record<string, unknown>)[parts[parts.length - 1]!] = value;
  return true;
}
