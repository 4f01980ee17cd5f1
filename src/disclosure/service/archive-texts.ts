import { Readable } from 'node:stream';
import type yazl from 'yazl';
import type { Executor } from '../../db/client.js';
import { lazy, packageEntries } from './archive-files.js';
import { textPieces } from './texts.js';

// The electronic texts in the package for the two reading rooms (条例 Art. 25; measures Art. 28: paper and
// electronic copies). The ZIP writes its files one after the other, so each text is read from its stored
// pieces only when its turn comes; and entries are added only a few ahead of the one being written, so a
// year's worth of texts never waits in memory as streams.

/** How many texts may be added to the ZIP before the writer has reached them. */
const AHEAD = 16;
/** Stored pieces (64 KiB) read per statement: at most 512 KiB of a text in memory at once. */
const PIECES_PER_QUERY = 8;

/**
 * Adds the text of every entry of [from, to] that has one, as 正文/<索引号>-<round>.<ext> (the path the
 * CSV's 电子文本 column names), stored without compression (PDF and Office files are compressed already).
 * Resolves when the last one is added; the caller then ends the ZIP.
 */
export async function addPackageTexts(zip: yazl.ZipFile, db: Executor, from: string, to: string) {
  let added = 0;
  let started = 0;
  let wake: (() => void) | undefined;
  const roomAhead = () => (added - started < AHEAD ? Promise.resolve() : new Promise<void>((r) => (wake = r)));
  for await (const page of packageEntries(db, from, to)) {
    for (const e of page) {
      if (!e.text) continue;
      await roomAhead();
      const textId = e.text.id;
      const stream = lazy(() => {
        started++;
        wake?.();
        wake = undefined;
        return Readable.from(textPieces(db, textId, PIECES_PER_QUERY));
      });
      zip.addReadStream(stream, e.text.path, { compress: false });
      added++;
    }
  }
  return added;
}
