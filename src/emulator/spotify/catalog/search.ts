import type { Catalog, CatalogAlbum, CatalogArtist, CatalogPlaylist, CatalogTrack } from "./model.js";

export const SEARCH_TYPES = ["album", "artist", "playlist", "track"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** Field filters of Spotify's query syntax that the emulator understands. */
const FILTERS = ["track", "artist", "album", "year", "isrc", "genre"] as const;
type Filter = (typeof FILTERS)[number];

export interface SearchQuery {
  words: string[];
  filters: [Filter, string][];
}

/** Case- and accent-insensitive, as Spotify's search is ("cafe" finds "Café"). */
function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * Splits q into plain words and field filters: `track:"Summer Love" artist:harbor neon`.
 * Quoted text is one term. An unknown field prefix is kept as a plain word (and so matches
 * almost nothing, like an unusual word would).
 */
export function parseSearchQuery(q: string): SearchQuery {
  const query: SearchQuery = { words: [], filters: [] };
  for (const match of q.matchAll(/(?:(\w+):)?(?:"([^"]*)"|(\S+))/g)) {
    const [, field, quoted, bare] = match;
    const value = fold((quoted ?? bare ?? "").trim());
    const filter = FILTERS.find((name) => name === field?.toLowerCase());
    if (filter) query.filters.push([filter, value]);
    else if (field !== undefined) query.words.push(fold(`${field}:${value}`));
    else if (value !== "") query.words.push(value); // a quoted phrase stays one term
  }
  return query;
}

/** What each filter looks at for one item; a filter the item type lacks never matches. */
type Searchable = Partial<Record<Filter, string[]>> & { names: string[] };

function yearMatches(years: string[], wanted: string): boolean {
  const range = /^(\d{4})(?:-(\d{4}))?$/.exec(wanted);
  if (!range) return false;
  const from = Number(range[1]);
  const to = Number(range[2] ?? range[1]);
  return years.some((year) => Number(year) >= from && Number(year) <= to);
}

function matches(item: Searchable, query: SearchQuery): boolean {
  const text = fold(item.names.join(" "));
  if (!query.words.every((word) => text.includes(word))) return false;
  return query.filters.every(([filter, wanted]) => {
    const values = item[filter];
    if (!values) return false;
    if (filter === "year") return yearMatches(values, wanted);
    if (filter === "isrc") return values.some((value) => fold(value) === wanted);
    return values.some((value) => fold(value).includes(wanted));
  });
}

function artistNames(catalog: Catalog, ids: readonly string[]): string[] {
  return ids.flatMap((id) => catalog.artist(id)?.name ?? []);
}

function genres(catalog: Catalog, ids: readonly string[]): string[] {
  return ids.flatMap((id) => catalog.artist(id)?.genres ?? []);
}

function trackFields(catalog: Catalog, track: CatalogTrack): Searchable {
  const album = catalog.album(track.albumId);
  const artists = artistNames(catalog, track.artistIds);
  const albumName = album ? [album.name] : [];
  return {
    names: [track.name, ...artists, ...albumName],
    track: [track.name],
    artist: artists,
    album: albumName,
    year: album ? [album.releaseDate.slice(0, 4)] : [],
    isrc: [track.isrc],
    genre: genres(catalog, track.artistIds),
  };
}

function albumFields(catalog: Catalog, album: CatalogAlbum): Searchable {
  const artists = artistNames(catalog, album.artistIds);
  return {
    names: [album.name, ...artists],
    album: [album.name],
    artist: artists,
    year: [album.releaseDate.slice(0, 4)],
    genre: genres(catalog, album.artistIds),
  };
}

function artistFields(artist: CatalogArtist): Searchable {
  return { names: [artist.name], artist: [artist.name], genre: artist.genres };
}

function playlistFields(playlist: CatalogPlaylist): Searchable {
  return { names: [playlist.name] };
}

export type SearchHits = {
  track: CatalogTrack[];
  album: CatalogAlbum[];
  artist: CatalogArtist[];
  playlist: CatalogPlaylist[];
};

/** Every match of one type, in catalog order (stable, so paging is deterministic). */
export function searchCatalog<T extends SearchType>(catalog: Catalog, query: SearchQuery, type: T): SearchHits[T] {
  const hits: { [K in SearchType]: () => SearchHits[K] } = {
    track: () => catalog.tracks.filter((track) => matches(trackFields(catalog, track), query)),
    album: () => catalog.albums.filter((album) => matches(albumFields(catalog, album), query)),
    artist: () => catalog.artists.filter((artist) => matches(artistFields(artist), query)),
    // Only public playlists are searchable on Spotify.
    playlist: () => catalog.playlists.filter((playlist) => playlist.public && matches(playlistFields(playlist), query)),
  };
  return hits[type]();
}
