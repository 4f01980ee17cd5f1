// What a site item's attachment may be (issue 15 point 2), told by content, never by the name or the
// claimed type: the file's first bytes, and for the container formats (an Office file is a zip or an OLE
// compound file) the container's own directory. Pure, over a random-access reader of the stored file.

/** Kinds of attachment, each with its own size limit (settings SITE_ATTACHMENT_*_MB). */
export const ATTACHMENT_KINDS = ['document', 'image', 'video'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const ATTACHMENT_KIND_LABELS: Record<AttachmentKind, string> = { document: '文档', image: '图片', video: '视频' };

/** A family of formats found by content; which of its extensions the file has decides its MIME type. */
interface Family {
  kind: AttachmentKind;
  label: string;
  /** extension → MIME type */
  types: Readonly<Record<string, string>>;
}

const FAMILIES = {
  pdf: { kind: 'document', label: 'PDF', types: { pdf: 'application/pdf' } },
  docx: {
    kind: 'document',
    label: 'Word',
    types: { docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  },
  xlsx: { kind: 'document', label: 'Excel', types: { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
  pptx: {
    kind: 'document',
    label: 'PowerPoint',
    types: { pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  },
  ofd: { kind: 'document', label: 'OFD', types: { ofd: 'application/ofd' } },
  // The binary Office formats and WPS Office's own (文字 .wps, 表格 .et, 演示 .dps) share the OLE container.
  doc: { kind: 'document', label: 'Word/WPS 文字', types: { doc: 'application/msword', wps: 'application/wps-office.wps' } },
  xls: { kind: 'document', label: 'Excel/WPS 表格', types: { xls: 'application/vnd.ms-excel', et: 'application/wps-office.et' } },
  ppt: {
    kind: 'document',
    label: 'PowerPoint/WPS 演示',
    types: { ppt: 'application/vnd.ms-powerpoint', dps: 'application/wps-office.dps' },
  },
  jpeg: { kind: 'image', label: 'JPG', types: { jpg: 'image/jpeg', jpeg: 'image/jpeg' } },
  png: { kind: 'image', label: 'PNG', types: { png: 'image/png' } },
  gif: { kind: 'image', label: 'GIF', types: { gif: 'image/gif' } },
  webp: { kind: 'image', label: 'WebP', types: { webp: 'image/webp' } },
  mp4: { kind: 'video', label: 'MP4', types: { mp4: 'video/mp4' } },
} as const satisfies Record<string, Family>;
type FamilyName = keyof typeof FAMILIES;

/** Every MIME type an attachment can have (the download route documents them). */
export const ATTACHMENT_MIME_TYPES = [...new Set(Object.values(FAMILIES).flatMap((f) => Object.values(f.types) as string[]))];
/** The file input's accept list. */
export const ATTACHMENT_ACCEPT = Object.values(FAMILIES)
  .flatMap((f) => Object.keys(f.types).map((e) => `.${e}`))
  .join(',');
/** Shown inline by the browser; every other type is offered as a download. */
export const INLINE_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/gif', 'image/webp'];

export const TYPE_MESSAGES = {
  wrongType: '附件只能是 PDF、Word、Excel、PowerPoint、WPS、OFD 文档，JPG、PNG、GIF、WebP 图片或 MP4 视频',
  empty: '附件为空',
  mismatch: (label: string) => `文件扩展名与内容不符：内容是 ${label} 文件`,
} as const;

/** Reads the stored upload: `length` bytes from `offset` (fewer at the end). */
export interface RandomAccess {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export type Detected = { ok: true; kind: AttachmentKind; mime: string } | { ok: false; message: string };

const ascii = (b: Buffer, from: number, to: number) => b.subarray(from, to).toString('latin1');
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'mmp4', 'dash', 'MSNV']);

/** The family the content belongs to, or undefined. */
async function familyOf(file: RandomAccess): Promise<FamilyName | undefined> {
  const head = await file.read(0, 64);
  if (head.length < 12) return undefined;
  if (ascii(head, 0, 5) === '%PDF-') return 'pdf';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (['GIF87a', 'GIF89a'].includes(ascii(head, 0, 6))) return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 4, 8) === 'ftyp' && MP4_BRANDS.has(ascii(head, 8, 12))) return 'mp4';
  if (head.readUInt32LE(0) === 0x04034b50) return zipFamily(await zipEntryNames(file));
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))
    return oleFamily(await oleStreamNames(file));
  return undefined;
}

/** An OOXML package names its parts in [Content_Types].xml and keeps them under word/, xl/ or ppt/; OFD has OFD.xml at its root. */
function zipFamily(names: string[]): FamilyName | undefined {
  if (names.includes('OFD.xml')) return 'ofd';
  if (!names.includes('[Content_Types].xml')) return undefined;
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  if (names.some((n) => n.startsWith('ppt/'))) return 'pptx';
  return undefined;
}

function oleFamily(names: string[]): FamilyName | undefined {
  if (names.includes('WordDocument')) return 'doc';
  if (names.includes('Workbook') || names.includes('Book')) return 'xls';
  if (names.includes('PowerPoint Document')) return 'ppt';
  return undefined;
}

/** The names in a zip's central directory (found from its end record); [] when it is not a readable zip. */
export async function zipEntryNames(file: RandomAccess): Promise<string[]> {
  const tailLength = Math.min(file.size, 22 + 65_535);
  const tail = await file.read(file.size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return [];
  const cdSize = tail.readUInt32LE(end + 12);
  const cdOffset = tail.readUInt32LE(end + 16);
  if (cdSize > 8 * 1024 * 1024 || cdOffset + cdSize > file.size) return [];
  const cd = await file.read(cdOffset, cdSize);
  const names: string[] = [];
  for (let at = 0; at + 46 <= cd.length && cd.readUInt32LE(at) === 0x02014b50;) {
    const nameLength = cd.readUInt16LE(at + 28);
    names.push(cd.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
  }
  return names;
}

const END_OF_CHAIN = 0xfffffffe;

/** The entry names of an OLE compound file's directory, following its sector chain through the FAT. */
export async function oleStreamNames(file: RandomAccess): Promise<string[]> {
  const header = await file.read(0, 512);
  const shift = header.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return [];
  const sectorSize = 1 << shift;
  const perFatSector = sectorSize / 4;
  const difat = Array.from({ length: 109 }, (_, i) => header.readUInt32LE(0x4c + i * 4));
  const sectorAt = (n: number) => (n + 1) * sectorSize;
  const names: string[] = [];
  let sector = header.readUInt32LE(0x30);
  // A directory longer than this is not an Office document's; a loop in the chain ends here too.
  for (let hops = 0; sector !== END_OF_CHAIN && hops < 256; hops++) {
    if (sectorAt(sector) + sectorSize > file.size) return names;
    const dir = await file.read(sectorAt(sector), sectorSize);
    for (let at = 0; at + 128 <= dir.length; at += 128) {
      const length = dir.readUInt16LE(at + 0x40);
      if (length >= 2 && length <= 64) names.push(dir.subarray(at, at + length - 2).toString('utf16le'));
    }
    const fatSector = difat[Math.floor(sector / perFatSector)];
    if (fatSector === undefined || sectorAt(fatSector) + sectorSize > file.size) return names;
    const fat = await file.read(sectorAt(fatSector) + (sector % perFatSector) * 4, 4);
    sector = fat.readUInt32LE(0);
  }
  return names;
}

const extensionOf = (filename: string) => /\.([A-Za-z0-9]{1,5})$/.exec(filename)?.[1]?.toLowerCase() ?? '';

/** The attachment's kind and MIME type from its content, checked against its file name's extension. */
export async function detectAttachmentType(file: RandomAccess, filename: string): Promise<Detected> {
  if (file.size === 0) return { ok: false, message: TYPE_MESSAGES.empty };
  const name = await familyOf(file);
  if (!name) return { ok: false, message: TYPE_MESSAGES.wrongType };
  const family: Family = FAMILIES[name];
  const mime = family.types[extensionOf(filename)];
  if (!mime) return { ok: false, message: TYPE_MESSAGES.mismatch(family.label) };
  return { ok: true, kind: family.kind, mime };
}
