import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { ClientError, request, type GraphQLResponse, type RequestExtendedOptions, type Variables } from "graphql-request";
import { postGraphQL } from "./graphql.js";

/**
 * Runs the generated documents (test/generated/graphql, from test/operations/*.graphql) over HTTP
 * with graphql-request, so results and variables are typed by the operation. GraphQL errors throw
 * graphql-request's ClientError; union results (UserError members) come back as data.
 */

export interface TypedRequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** Variables are optional when the operation has none, or only optional ones. */
export type VariablesArgs<V> = Record<string, never> extends V ? [variables?: V, options?: TypedRequestOptions] : [variables: V, options?: TypedRequestOptions];

/** `await execute(server.graphqlUrl, SignInDocument, { email, password })`; pass `{ token }` to sign the request. */
export function execute<TResult, TVariables extends Variables>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables>,
  ...[variables, options]: VariablesArgs<TVariables>
): Promise<TResult> {
  const requestHeaders: Record<string, string> = { ...options?.headers };
  if (options?.token) requestHeaders.authorization = `Bearer ${options.token}`;
  // VariablesArgs already made `variables` required where the operation needs them.
  const request_ = { url, document, variables, requestHeaders } as unknown as RequestExtendedOptions<TVariables, TResult>;
  return request<TResult, TVariables>(request_);
}

export interface TypedClient {
  request<TResult, TVariables extends Variables>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables]
  ): Promise<TResult>;
}

/** A client bound to a server URL and, optionally, a session token: `typedClient(url, token).request(MeDocument)`. */
export function typedClient(url: string, token?: string | null): TypedClient {
  return {
    request: <TResult, TVariables extends Variables>(document: TypedDocumentNode<TResult, TVariables>, variables?: TVariables) =>
      (execute as (...args: unknown[]) => Promise<TResult>)(url, document, variables, { token }),
  };
}

/** Narrows a result union by __typename, failing with the member's message when it is another one. */
export function expectTypename<T extends { __typename: string }, N extends T["__typename"]>(value: T, typename: N): Extract<T, { __typename: N }> {
  if (value.__typename !== typename) {
    const message = "message" in value ? `: ${String(value.message)}` : "";
    throw new Error(`expected ${typename}, got ${value.__typename}${message}`);
  }
  return value as Extract<T, { __typename: N }>;
}

/** The failed response behind a ClientError: GraphQL errors (at least one), data, HTTP status and raw body. */
export type FailedResponse = GraphQLResponse & { errors: NonNullable<GraphQLResponse["errors"]> };

/**
 * Awaits a typed request that must fail with GraphQL errors (graphql-request's ClientError) and
 * returns the response; fails when the request succeeds or fails in another way.
 */
export async function expectGraphQLErrors(pending: Promise<unknown>): Promise<FailedResponse> {
  try {
    await pending;
  } catch (error) {
    if (error instanceof ClientError && error.response.errors?.length) return error.response as FailedResponse;
    throw error;
  }
  throw new Error("expected GraphQL errors, but the request succeeded");
}

export interface TypedResponse<TResult> {
  status: number;
  headers: Headers;
  text: string;
  json: { data?: TResult | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/**
 * The same operation text as `execute`, sent with raw fetch (postGraphQL) for tests that inspect
 * status codes, headers and cookies. Headers are passed as they are (cookie, authorization, ...).
 */
export async function postDocument<TResult, TVariables extends Variables>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables?: TVariables,
  headers: Record<string, string> = {},
): Promise<TypedResponse<TResult>> {
  const res = await postGraphQL(url, { query: print(document), variables }, headers);
  return { status: res.status, headers: res.headers, text: res.text, json: res.json ?? {} };
}
