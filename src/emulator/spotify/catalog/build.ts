import type { SpotifyAccount } from "../accounts.js";
import { spotifyId, stableHex } from "./ids.js";
import { Catalog, type CatalogAlbum, type CatalogArtist, type CatalogPlaylist, type CatalogTrack } from "./model.js";

/** Twelve artists, two albums each, five tracks per album: 120 tracks, always the same. */
const ARTISTS: readonly [string, string][] = [
  ["The Quiz Masters", "indie rock"],
  ["Neon Harbor", "synthwave"],
  ["Velvet Static", "dream pop"],
  ["Midnight Cartographers", "post-rock"],
  ["Paper Moons", "folk"],
  ["Golden Hour Radio", "pop"],
  ["Silver Lining Society", "soul"],
  ["Echo Parade", "electronic"],
  ["Lunar Tides", "ambient"],
  ["Crimson Alley", "hip hop"],
  ["Northern Lights Orchestra", "classical crossover"],
  // Non-ASCII on purpose: exercises encoding in queries and stored names.
  ["Café Aurora", "bossa nova"],
];

// prettier-ignore
const ALBUMS = [
  "Signals", "Postcards", "Afterglow", "Blueprints", "Daydreams", "Horizons", "Night Drives", "Small Hours",
  "Open Roads", "Paper Trails", "Static Bloom", "Tidal", "First Light", "Last Call", "Polaroids", "Satellites",
  "Undertow", "Wildflowers", "Neon Psalms", "Lanterns", "Weather Systems", "Slow Motion", "Greatest Hits", "Encore",
];

// 8 and 15 are coprime, so "<first> <second>" is unique for each of the 120 tracks.
const FIRST_WORDS = ["Summer", "Electric", "Midnight", "Golden", "Broken", "Neon", "Velvet", "Silent"];
// prettier-ignore
const SECOND_WORDS = [
  "Love", "Heart", "Dreams", "Highway", "Rain", "Fire", "Radio", "Skyline",
  "Memories", "Waves", "Echo", "Letters", "Garden", "Parade", "Lights",
];

const ALBUMS_PER_ARTIST = 2;
const TRACKS_PER_ALBUM = 5;
const pad = (value: number) => String(value).padStart(2, "0");

function buildArtists(): CatalogArtist[] {
  return ARTISTS.map(([name, genre], index) => ({
    id: spotifyId(`artist:${index}`),
    name,
    genres: [genre],
    popularity: 40 + ((index * 13) % 60),
    followers: 1000 * (index + 1) ** 2,
  }));
}

function buildTrack(index: number, artists: CatalogArtist[], albumId: string): CatalogTrack {
  const artistIndex = Math.floor(index / (ALBUMS_PER_ARTIST * TRACKS_PER_ALBUM));
  // Every tenth track features the next artist, so tracks with two artists exist.
  const featured = index % 10 === 9 ? [artists[(artistIndex + 1) % artists.length] as CatalogArtist] : [];
  return {
    id: spotifyId(`track:${index}`),
    name: `${FIRST_WORDS[index % FIRST_WORDS.length]} ${SECOND_WORDS[index % SECOND_WORDS.length]}`,
    artistIds: [(artists[artistIndex] as CatalogArtist).id, ...featured.map((artist) => artist.id)],
    albumId,
    trackNumber: (index % TRACKS_PER_ALBUM) + 1,
    durationMs: 150_000 + ((index * 7919) % 150_000),
    explicit: index % 7 === 3,
    popularity: 30 + ((index * 37) % 66),
    previewUrl: index % 4 === 3 ? null : `https://p.scdn.co/mp3-preview/${stableHex(`preview:${index}`, 40)}`,
    isrc: `QZEMU26${String(index + 1).padStart(5, "0")}`,
  };
}

function buildAlbumsAndTracks(artists: CatalogArtist[]): { albums: CatalogAlbum[]; tracks: CatalogTrack[] } {
  const albums: CatalogAlbum[] = [];
  const tracks: CatalogTrack[] = [];
  for (const [albumIndex, name] of ALBUMS.entries()) {
    const artist = artists[Math.floor(albumIndex / ALBUMS_PER_ARTIST)] as CatalogArtist;
    const id = spotifyId(`album:${albumIndex}`);
    const albumTracks = Array.from({ length: TRACKS_PER_ALBUM }, (_, n) =>
      buildTrack(albumIndex * TRACKS_PER_ALBUM + n, artists, id),
    );
    tracks.push(...albumTracks);
    albums.push({
      id,
      name,
      artistIds: [artist.id],
      releaseDate: `${2005 + (albumIndex % 20)}-${pad(1 + (albumIndex % 12))}-${pad(1 + ((albumIndex * 3) % 28))}`,
      trackIds: albumTracks.map((track) => track.id),
    });
  }
  return { albums, tracks };
}

function editorialPlaylists(tracks: CatalogTrack[]): CatalogPlaylist[] {
  const editorial = (key: string, name: string, description: string, picked: CatalogTrack[], followers: number) => ({
    id: spotifyId(`playlist:spotify:${key}`),
    name,
    description,
    ownerId: "spotify",
    ownerName: "Spotify",
    public: true,
    collaborative: false,
    followers,
    trackIds: picked.map((track) => track.id),
  });
  return [
    // More than 100 tracks, so its items need two pages.
    editorial("top", "Emulator Top 120", "Every track in the emulated catalog.", tracks, 120_000),
    editorial(
      "quiz",
      "Quiz Night Classics",
      "Thirty crowd pleasers.",
      tracks.filter((_, i) => i % 4 === 0),
      45_000,
    ),
    editorial(
      "summer",
      "Summer Anthems",
      "Sunshine only.",
      tracks.filter((t) => t.name.startsWith("Summer")),
      9_000,
    ),
  ];
}

/** Each account owns a public, a private, a collaborative and an empty playlist. */
function userPlaylists(account: SpotifyAccount, accountIndex: number, tracks: CatalogTrack[]): CatalogPlaylist[] {
  const firstName = account.displayName.split(/\s+/)[0] ?? account.displayName;
  const pick = (count: number, start: number) =>
    Array.from({ length: count }, (_, n) => (tracks[(start + n * 7) % tracks.length] as CatalogTrack).id);
  const owned = (
    key: string,
    name: string,
    flags: { public: boolean; collaborative: boolean },
    trackIds: string[],
  ) => ({
    id: spotifyId(`playlist:${account.id}:${key}`),
    name,
    description: "",
    ownerId: account.id,
    ownerName: account.displayName,
    ...flags,
    followers: 0,
    trackIds,
  });
  const start = accountIndex * 12;
  return [
    owned("mix", `${account.displayName}'s Quiz Mix`, { public: true, collaborative: false }, pick(12, start)),
    owned("private", `${firstName}'s Private Practice`, { public: false, collaborative: false }, pick(7, start + 3)),
    owned("party", `Party Queue (${firstName})`, { public: false, collaborative: true }, pick(5, start + 5)),
    owned("empty", "Empty Crate", { public: true, collaborative: false }, []),
  ];
}

/** The deterministic fake catalog; user playlists follow the configured accounts. */
export function buildCatalog(accounts: readonly SpotifyAccount[]): Catalog {
  const artists = buildArtists();
  const { albums, tracks } = buildAlbumsAndTracks(artists);
  const editorial = editorialPlaylists(tracks);
  const followed = editorial.slice(0, 2).map((playlist) => playlist.id);
  const libraries = new Map<string, string[]>();
  const playlists = [...editorial];
  for (const [index, account] of accounts.entries()) {
    const own = userPlaylists(account, index, tracks);
    playlists.push(...own);
    libraries.set(account.id, [...own.map((playlist) => playlist.id), ...followed]);
  }
  return new Catalog(artists, albums, tracks, playlists, libraries);
}
