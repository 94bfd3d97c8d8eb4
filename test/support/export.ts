import { print } from "graphql";
import { ExportToDropboxDocument, type ExportToDropboxMutation, type ExportToDropboxMutationVariables } from "../generated/graphql/graphql.js";
import type { TypedResponse } from "./typed.js";

// ExportToDropbox is a GraphQL multipart request, which graphql-request does not send: the tests
// post the generated document's text themselves.
export const EXPORT = print(ExportToDropboxDocument);

export type UploadResponse = Omit<TypedResponse<ExportToDropboxMutation>, "headers">;

/** ExportToDropbox as a multipart request (the file is the `0` part, mapped to variables.file). */
export async function postExport(
  graphqlUrl: string,
  token: string,
  file: { bytes: Uint8Array | string; name: string },
  variables: Omit<ExportToDropboxMutationVariables, "file"> = {},
  headers: Record<string, string> = { "x-graphql-yoga-csrf": "1" },
): Promise<UploadResponse> {
  const form = new FormData();
  form.set("operations", JSON.stringify({ query: EXPORT, variables: { file: null, ...variables } }));
  form.set("map", JSON.stringify({ 0: ["variables.file"] }));
  form.set("0", new Blob([file.bytes as BlobPart]), file.name);
  const response = await fetch(graphqlUrl, { method: "POST", body: form, headers: { authorization: `Bearer ${token}`, ...headers } });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as UploadResponse["json"], text };
}

/** The exportToDropbox result of an upload the server answered with data. */
export function exported(res: UploadResponse): ExportToDropboxMutation["exportToDropbox"] {
  const result = res.json.data?.exportToDropbox;
  if (!result) throw new Error(`exportToDropbox answered ${res.status} ${res.text}`);
  return result;
}
