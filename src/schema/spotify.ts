import DataLoader from "dataloader";
import { z } from "zod";
import type { ObjectRef, UnionRef } from "@pothos/core";
import { builder, UserErrorInterface } from "./builder.js";
import { connectionType, pageSizeSchema, type Types } from "./connections.js";
import { UserFacingError, ValidationError } from "./errors.js";
import { parseArg } from "./validation.js";
import { addConnectMutations } from "./integrations.js";
import type { GraphQLContext } from "../context.js";
import {
  NotConnectedError,
  ProviderNotConfiguredError,
  ProviderUnavailableError,
  ReconnectRequiredError,
} from "../oauth/errors.js";
import { findSystemUserId } from "../oauth/system-account.js";
import { SpotifyApiError, type SpotifyHttp } from "../spotify/api.js";
import { withCatalogToken, type CatalogResult, type TokenSource } from "../spotify/token-chain.js";
import {
  getMyPlaylists,
  getPlaylist,
  getPlaylistTracks,
  getTracks,
  search,
  spotifyIdSchema,
  TRACKS_PER_REQUEST,
  type Album,
  type Artist,
  type Page,
  type Playlist,
  type SearchItem,
  type Track,
} from "../spotify/catalog.js";

addConnectMutations("SPOTIFY", "Spotify");

export class SpotifyRateLimitedError extends UserFacingError {
  readonly code = "RATE_LIMITED";
  constructor(readonly retryAfterSeconds: number) {
    super(`Spotify is rate limiting requests: retry after ${retryAfterSeconds} s`);
  }
}

export class SpotifyNotFoundError extends UserFacingError {
  readonly code = "NOT_FOUND";
  constructor(what: string) {
    super(`Spotify has no ${what} with that id (or it is private)`);
  }
}

builder.objectType(SpotifyRateLimitedError, {
  name: "SpotifyRateLimitedError",
  interfaces: [UserErrorInterface],
  isTypeOf: (v) => v instanceof SpotifyRateLimitedError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt("retryAfterSeconds") }),
});
builder.objectType(SpotifyNotFoundError, {
  name: "SpotifyNotFoundError",
  interfaces: [UserErrorInterface],
  isTypeOf: (v) => v instanceof SpotifyNotFoundError,
});

const TokenSourceEnum = builder.enumType("SpotifyTokenSource", {
  description: "Whose Spotify token answered: the user's, the service's system account, or the app's own",
  values: ["USER", "SYSTEM", "APP"] as const,
});
const SearchTypeEnum = builder.enumType("SpotifySearchType", { values: ["TRACK", "ALBUM", "ARTIST", "PLAYLIST"] as const });

const SpotifyArtistRef = builder.objectRef<{ id: string; name: string }>("SpotifyArtistRef").implement({
  fields: (t) => ({ id: t.exposeID("id"), name: t.exposeString("name") }),
});
const SpotifyTrack = builder.objectRef<Track>("SpotifyTrack").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    uri: t.exposeString("uri"),
    durationMs: t.exposeInt("durationMs"),
    explicit: t.exposeBoolean("explicit"),
    popularity: t.exposeInt("popularity", { nullable: true }),
    previewUrl: t.exposeString("previewUrl", { nullable: true }),
    artists: t.field({ type: [SpotifyArtistRef], resolve: (x) => x.artists }),
    albumName: t.string({ nullable: true, resolve: (x) => x.album?.name ?? null }),
    imageUrl: t.string({ nullable: true, resolve: (x) => x.album?.imageUrl ?? null }),
  }),
});
const SpotifyAlbum = builder.objectRef<Album>("SpotifyAlbum").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    uri: t.exposeString("uri"),
    releaseDate: t.exposeString("releaseDate", { nullable: true }),
    artists: t.field({ type: [SpotifyArtistRef], resolve: (x) => x.artists }),
    imageUrl: t.exposeString("imageUrl", { nullable: true }),
  }),
});
const SpotifyArtist = builder.objectRef<Artist>("SpotifyArtist").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    uri: t.exposeString("uri"),
    genres: t.exposeStringList("genres"),
    imageUrl: t.exposeString("imageUrl", { nullable: true }),
  }),
});

const cursorOf = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64url");
function offsetAfter(after: string | null | undefined): number {
  if (!after) return 0;
  const match = /^offset:(\d{1,6})$/.exec(Buffer.from(after, "base64url").toString("utf8"));
  if (!match) throw new ValidationError("after", "after must be a cursor from a previous page");
  return Number(match[1]) + 1;
}

interface ConnectionShape<T> {
  page: Page<T>;
  tokenSource: TokenSource;
}

/** A Relay-style connection over Spotify's offset paging, reporting whose token answered. */
function offsetConnection<T>(name: string, node: ObjectRef<Types, T> | UnionRef<Types, T>) {
  const Connection = connectionType<ConnectionShape<T>, T>(name, node, {
    edges: ({ page }) => page.items.map((item, i) => ({ cursor: cursorOf(page.offset + i), node: item })),
    more: ({ page }) => ({ hasNextPage: page.offset + page.items.length < page.total, hasPreviousPage: page.offset > 0 }),
  });
  builder.objectFields(Connection, (t) => ({
    totalCount: t.int({ resolve: (c) => c.page.total }),
    tokenSource: t.field({ type: TokenSourceEnum, resolve: (c) => c.tokenSource }),
  }));
  return Connection;
}

const TrackConnection = offsetConnection<Track>("SpotifyTrack", SpotifyTrack);

/** A playlist; `tokenSource` is set when it was fetched on its own (not as a search hit). */
type PlaylistShape = Playlist & { tokenSource?: TokenSource; userOnly?: boolean };

const SpotifyPlaylist = builder.objectRef<PlaylistShape>("SpotifyPlaylist").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    uri: t.exposeString("uri"),
    description: t.exposeString("description", { nullable: true }),
    ownerName: t.exposeString("ownerName", { nullable: true }),
    trackCount: t.exposeInt("trackCount"),
    imageUrl: t.exposeString("imageUrl", { nullable: true }),
    tokenSource: t.field({ type: TokenSourceEnum, nullable: true, resolve: (p) => p.tokenSource ?? null }),
    tracks: t.field({
      type: TrackConnection,
      description: "The playlist's tracks, 1 to 100 per page",
      errors: {
        types: [ValidationError, SpotifyRateLimitedError, ProviderUnavailableError, ProviderNotConfiguredError, NotConnectedError, ReconnectRequiredError],
        union: { name: "SpotifyPlaylistTracksResult" },
      },
      args: { first: t.arg.int({ required: false, defaultValue: 50 }), after: t.arg.string({ required: false }) },
      resolve: async (playlist, args, ctx) => {
        const limit = parseArg("first", pageSizeSchema(100), args.first ?? 50);
        const offset = offsetAfter(args.after);
        const http = spotifyHttp(ctx);
        const call = (token: string) => getPlaylistTracks(http, token, playlist.id, limit, offset);
        const result = playlist.userOnly ? await withUserToken(ctx, call) : await withCatalog(ctx, call);
        return { page: result.value, tokenSource: result.source };
      },
    }),
  }),
});

const SearchResult = builder.unionType("SpotifySearchItem", {
  types: [SpotifyTrack, SpotifyAlbum, SpotifyArtist, SpotifyPlaylist],
  resolveType: (item) =>
    ({ TRACK: "SpotifyTrack", ALBUM: "SpotifyAlbum", ARTIST: "SpotifyArtist", PLAYLIST: "SpotifyPlaylist" })[(item as SearchItem).kind],
});
const SearchConnection = offsetConnection<SearchItem>("SpotifySearch", SearchResult as unknown as UnionRef<Types, SearchItem>);
const PlaylistConnection = offsetConnection<PlaylistShape>("SpotifyPlaylist", SpotifyPlaylist);

const TrackBatch = builder.objectRef<{ tracks: (Track | null)[]; tokenSource: TokenSource | null }>("SpotifyTrackBatch").implement({
  fields: (t) => ({
    tracks: t.field({ type: [SpotifyTrack], nullable: { list: false, items: true }, description: "In the order asked; null for unknown ids", resolve: (b) => b.tracks }),
    tokenSource: t.field({ type: TokenSourceEnum, nullable: true, resolve: (b) => b.tokenSource }),
  }),
});

function spotifyHttp(ctx: GraphQLContext): SpotifyHttp {
  const spotify = ctx.services.config.spotify;
  if (!spotify) throw new ProviderNotConfiguredError("SPOTIFY");
  return { apiUrl: spotify.apiUrl, fetch: ctx.services.fetch, timeoutMs: ctx.services.config.providerTimeoutMs };
}

/** Spotify's answers that are about the request turned into errors the user can act on. */
function mapSpotifyError(error: unknown, what: string): unknown {
  if (!(error instanceof SpotifyApiError)) return error;
  if (error.status === 429) return new SpotifyRateLimitedError(error.retryAfterSeconds ?? 1);
  if (error.status === 404) return new SpotifyNotFoundError(what);
  if (error.status === 400) return new ValidationError("query", "Spotify refused the request as malformed");
  return new ProviderUnavailableError("SPOTIFY", `unexpected answer ${error.status}`);
}

async function withCatalog<T>(ctx: GraphQLContext, call: (token: string) => Promise<T>, what = "item"): Promise<CatalogResult<T>> {
  try {
    return await withCatalogToken(
      {
        loader: ctx.integrations,
        logger: ctx.logger,
        userId: ctx.viewer?.id ?? null,
        systemUserId: () => findSystemUserId(ctx.prisma),
        appToken: ctx.services.spotifyAppToken,
      },
      call,
    );
  } catch (error) {
    throw mapSpotifyError(error, what);
  }
}

/** User-private data: only the user's own token will do. */
async function withUserToken<T>(ctx: GraphQLContext, call: (token: string) => Promise<T>, what = "item"): Promise<CatalogResult<T>> {
  if (!ctx.services.config.spotify) throw new ProviderNotConfiguredError("SPOTIFY");
  try {
    return { value: await ctx.integrations.withAccessToken(ctx.viewer!.id, "SPOTIFY", call), source: "USER" };
  } catch (error) {
    throw mapSpotifyError(error, what);
  }
}

const catalogErrors = [ValidationError, SpotifyRateLimitedError, ProviderUnavailableError, ProviderNotConfiguredError];

builder.queryFields((t) => ({
  spotifySearch: t.field({
    type: SearchConnection,
    authScopes: { signedIn: true },
    description: "Search Spotify's catalog (1 to 50 results per page)",
    errors: { types: catalogErrors },
    args: {
      query: t.arg.string({ required: true }),
      type: t.arg({ type: SearchTypeEnum, required: true }),
      first: t.arg.int({ required: false, defaultValue: 20 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const query = parseArg("query", z.string().trim().min(1, "query must not be empty").max(200, "query must be at most 200 characters"), args.query);
      const limit = parseArg("first", pageSizeSchema(50), args.first ?? 20);
      const offset = offsetAfter(args.after);
      if (offset + limit > 1000) throw new ValidationError("after", "Spotify returns at most the first 1000 results of a search");
      const http = spotifyHttp(ctx);
      const result = await withCatalog(ctx, (token) => search(http, token, query, args.type, limit, offset));
      return { page: result.value, tokenSource: result.source };
    },
  }),

  spotifyPlaylist: t.field({
    type: SpotifyPlaylist,
    authScopes: { signedIn: true },
    description: "A playlist by id: public ones with any token, private ones with the user's",
    errors: { types: [...catalogErrors, SpotifyNotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = parseArg("id", spotifyIdSchema, String(args.id));
      const http = spotifyHttp(ctx);
      const result = await withCatalog(ctx, (token) => getPlaylist(http, token, id), "playlist");
      return { ...result.value, tokenSource: result.source, userOnly: result.source === "USER" };
    },
  }),

  spotifyMyPlaylists: t.field({
    type: PlaylistConnection,
    authScopes: { signedIn: true },
    description: "The signed-in user's own playlists (needs their Spotify connection)",
    errors: { types: [...catalogErrors, NotConnectedError, ReconnectRequiredError] },
    args: { first: t.arg.int({ required: false, defaultValue: 20 }), after: t.arg.string({ required: false }) },
    resolve: async (_root, args, ctx) => {
      const limit = parseArg("first", pageSizeSchema(50), args.first ?? 20);
      const offset = offsetAfter(args.after);
      const http = spotifyHttp(ctx);
      const result = await withUserToken(ctx, (token) => getMyPlaylists(http, token, limit, offset));
      return {
        page: { ...result.value, items: result.value.items.map((p) => ({ ...p, userOnly: true })) },
        tokenSource: result.source,
      };
    },
  }),

  spotifyTracks: t.field({
    type: TrackBatch,
    authScopes: { signedIn: true },
    description: "Tracks by id (up to 200), fetched in batches of 50",
    errors: { types: catalogErrors },
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const ids = parseArg("ids", z.array(spotifyIdSchema).max(200, "ids must hold at most 200 ids"), args.ids.map(String));
      const loader = trackLoader(ctx);
      const results = await Promise.all(ids.map((id) => loader.load(id)));
      return { tracks: results.map((r) => r.track), tokenSource: results[0]?.source ?? null };
    },
  }),
}));

/** Per request: every track id asked for in one tick goes to Spotify's several-tracks endpoint. */
const trackLoaders = new WeakMap<GraphQLContext, DataLoader<string, { track: Track | null; source: TokenSource }>>();
function trackLoader(ctx: GraphQLContext) {
  let loader = trackLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(
      async (ids) => {
        const http = spotifyHttp(ctx);
        const result = await withCatalog(ctx, (token) => getTracks(http, token, ids));
        return result.value.map((track) => ({ track, source: result.source }));
      },
      { maxBatchSize: TRACKS_PER_REQUEST },
    );
    trackLoaders.set(ctx, loader);
  }
  return loader;
}
