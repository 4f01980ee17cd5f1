// The link watcher's facts as the inspection's broken-links indicator reads them (from src/links).

/** What the link watcher found: broken links (failing twice in a row) on the home page and elsewhere. */
export interface LinkFacts {
  home: number;
  other: number;
  /** Links that failed their last check only (one more failure makes them broken). */
  failingOnce: number;
  lastCheckedDay: string;
  sample: DrillLink[];
}

export interface DrillLink {
  url: string;
  onHome: boolean;
  error: string | null;
  fixBy: string | null;
}
