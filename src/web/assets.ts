import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The static files under src/web/assets, read once at startup and served with a content hash. */
const FILES = { 'app.css': 'text/css; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8' } as const;
export type AssetName = keyof typeof FILES;

export interface Asset {
  body: Buffer;
  contentType: string;
  hash: string;
}

export const ASSETS: Record<AssetName, Asset> = Object.fromEntries(
  (Object.keys(FILES) as AssetName[]).map((name) => {
    const body = readFileSync(new URL(`./assets/${name}`, import.meta.url));
    return [name, { body, contentType: FILES[name], hash: createHash('sha256').update(body).digest('hex').slice(0, 12) }];
  }),
) as Record<AssetName, Asset>;

/** The URL of an asset, versioned by its content so it can be cached for long. */
export const assetUrl = (name: AssetName) => `/assets/${name}?v=${ASSETS[name].hash}`;
