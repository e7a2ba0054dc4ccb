/** Why addin/dist needs a build ('addin/dist is missing', '<path> changed since the last build'), or null. */
export function paneIsStale(): string | null;
/** Runs `vite build` for the pane; false when Vite is not installed. */
export function buildPane(options?: { quiet?: boolean }): boolean;
