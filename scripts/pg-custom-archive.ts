/**
 * Reads and rewrites an uncompressed pg_dump custom-format archive (`pg_dump -Fc -Z0`), so
 * that the attack corpus (make-bad-backups.ts) can hide SQL inside entries the archive check
 * allows, or change the COPY data, exactly as someone with a hex editor could.
 *
 * The layout (src/bin/pg_dump/pg_backup_archiver.c, pg_backup_custom.c; archive versions
 * 1.14 and 1.15, i.e. pg_dump 15 and 16):
 *   header   "PGDMP", major, minor, revision, int size, offset size, format (1 = custom),
 *            compression (an int before 1.15, a byte from 1.15), creation time (7 ints),
 *            database name, server version, pg_dump version (strings)
 *   TOC      entry count, then per entry: dump id, had-dumper, table oid, oid, tag, desc,
 *            section, defn, drop statement, COPY statement, namespace, tablespace, table
 *            access method, owner, "false" (with oids), dependency ids (strings, ended by a
 *            NULL string), and the data block's offset (a flag byte and offset-size bytes)
 *   data     per entry with data: byte 1 (BLK_DATA), dump id, then chunks (length, bytes)
 *            ended by a zero length
 * An int is a sign byte and int-size bytes, little-endian; a string is its length as an int
 * (-1 for NULL) and its bytes. Strings are kept here as "binary" (latin1) JavaScript strings,
 * one character per byte, so any bytes survive a round trip; append ASCII only.
 *
 * This is a tool for building test files, never for reading uploads.
 */

export type ArchiveEntry = {
  dumpId: number;
  hadDumper: number;
  tableOid: string | null;
  oid: string | null;
  tag: string | null;
  desc: string | null;
  section: number;
  defn: string | null;
  dropStmt: string | null;
  copyStmt: string | null;
  namespace: string | null;
  tablespace: string | null;
  tableAm: string | null;
  owner: string | null;
  withOids: string | null;
  deps: string[];
  /** 1 offset not set, 2 set, 3 no data. */
  dataState: number;
  /** The entry's data (COPY text for TABLE DATA), uncompressed, as a binary string. */
  data: string | null;
};

export type CustomArchive = { header: Buffer; intSize: number; offSize: number; entries: ArchiveEntry[] };

const BLK_DATA = 1;
const OFFSET_SET = 2;
const OFFSET_NO_DATA = 3;

class Reader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    public intSize = 4,
    public offSize = 8,
  ) {}
  byte(): number {
    if (this.pos >= this.buf.length) throw new Error("archive ends early");
    return this.buf[this.pos++]!;
  }
  int(): number {
    const sign = this.byte();
    let value = 0;
    for (let i = 0; i < this.intSize; i++) value += this.byte() * 2 ** (8 * i);
    return sign ? -value : value;
  }
  str(): string | null {
    const length = this.int();
    if (length < 0) return null;
    if (this.pos + length > this.buf.length) throw new Error("archive ends inside a string");
    const text = this.buf.toString("latin1", this.pos, this.pos + length);
    this.pos += length;
    return text;
  }
  offset(): number {
    const state = this.byte();
    this.pos += this.offSize;
    return state;
  }
}

class Writer {
  private parts: Buffer[] = [];
  length = 0;
  constructor(
    readonly intSize: number,
    readonly offSize: number,
  ) {}
  raw(b: Buffer) {
    this.parts.push(b);
    this.length += b.length;
  }
  byte(n: number) {
    this.raw(Buffer.from([n]));
  }
  int(n: number) {
    const b = Buffer.alloc(1 + this.intSize);
    b[0] = n < 0 ? 1 : 0;
    let v = Math.abs(n);
    for (let i = 0; i < this.intSize; i++) {
      b[1 + i] = v % 256;
      v = Math.floor(v / 256);
    }
    this.raw(b);
  }
  str(s: string | null) {
    if (s === null) return this.int(-1);
    const b = Buffer.from(s, "latin1");
    this.int(b.length);
    this.raw(b);
  }
  offset(state: number, position: number) {
    const b = Buffer.alloc(1 + this.offSize);
    b[0] = state;
    let v = position;
    for (let i = 0; i < this.offSize; i++) {
      b[1 + i] = v % 256;
      v = Math.floor(v / 256);
    }
    this.raw(b);
  }
  buffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export function readCustomArchive(buf: Buffer): CustomArchive {
  if (buf.toString("latin1", 0, 5) !== "PGDMP") throw new Error("not a custom-format archive");
  const [major, minor] = [buf[5]!, buf[6]!];
  if (major !== 1 || (minor !== 14 && minor !== 15))
    throw new Error(`archive version ${major}.${minor}: only 1.14 and 1.15 (pg_dump 15, 16) are handled`);
  const r = new Reader(buf, buf[8]!, buf[9]!);
  if (buf[10] !== 1) throw new Error("not the custom format");
  r.pos = 11;
  const compression = minor >= 15 ? r.byte() : r.int();
  if (compression !== 0) throw new Error("compressed archive: make it with pg_dump -Fc -Z0");
  for (let i = 0; i < 7; i++) r.int(); // creation time
  r.str(); // database name
  r.str(); // server version
  r.str(); // pg_dump version
  const header = Buffer.from(buf.subarray(0, r.pos));
  const count = r.int();
  const entries: ArchiveEntry[] = [];
  for (let i = 0; i < count; i++) {
    const e: ArchiveEntry = {
      dumpId: r.int(),
      hadDumper: r.int(),
      tableOid: r.str(),
      oid: r.str(),
      tag: r.str(),
      desc: r.str(),
      section: r.int(),
      defn: r.str(),
      dropStmt: r.str(),
      copyStmt: r.str(),
      namespace: r.str(),
      tablespace: r.str(),
      tableAm: r.str(),
      owner: r.str(),
      withOids: r.str(),
      deps: [],
      dataState: 0,
      data: null,
    };
    for (let dep = r.str(); dep !== null; dep = r.str()) e.deps.push(dep);
    e.dataState = r.offset();
    entries.push(e);
  }
  const byId = new Map(entries.map((e) => [e.dumpId, e]));
  while (r.pos < buf.length) {
    const type = r.byte();
    if (type !== BLK_DATA) throw new Error(`data block of type ${type} (large objects?) is not handled`);
    const entry = byId.get(r.int());
    if (!entry) throw new Error("a data block for no TOC entry");
    const chunks: string[] = [];
    for (let length = r.int(); length !== 0; length = r.int()) {
      chunks.push(buf.toString("latin1", r.pos, r.pos + length));
      r.pos += length;
    }
    entry.data = chunks.join("");
  }
  return { header, intSize: r.intSize, offSize: r.offSize, entries };
}

/** The archive as bytes, every data block's offset set to where it now lies. */
export function writeCustomArchive(archive: CustomArchive): Buffer {
  const withData = archive.entries.filter((e) => e.data !== null);
  const toc = (positions: Map<number, number>) => {
    const w = new Writer(archive.intSize, archive.offSize);
    w.int(archive.entries.length);
    for (const e of archive.entries) {
      w.int(e.dumpId);
      w.int(e.hadDumper);
      for (const s of [e.tableOid, e.oid, e.tag, e.desc]) w.str(s);
      w.int(e.section);
      for (const s of [e.defn, e.dropStmt, e.copyStmt, e.namespace, e.tablespace, e.tableAm, e.owner, e.withOids])
        w.str(s);
      for (const dep of e.deps) w.str(dep);
      w.str(null);
      const at = positions.get(e.dumpId);
      w.offset(at === undefined ? OFFSET_NO_DATA : OFFSET_SET, at ?? 0);
    }
    return w;
  };
  // The TOC's size does not depend on the offsets' values: measure it, then place the data.
  let position = archive.header.length + toc(new Map()).length;
  const positions = new Map<number, number>();
  const data = new Writer(archive.intSize, archive.offSize);
  for (const e of withData) {
    positions.set(e.dumpId, position);
    const before = data.length;
    data.byte(BLK_DATA);
    data.int(e.dumpId);
    const bytes = Buffer.from(e.data!, "latin1");
    for (let at = 0; at < bytes.length; at += 64 * 1024) {
      const chunk = bytes.subarray(at, at + 64 * 1024);
      data.int(chunk.length);
      data.raw(chunk);
    }
    data.int(0);
    position += data.length - before;
  }
  return Buffer.concat([archive.header, toc(positions).buffer(), data.buffer()]);
}

/** The one entry with this desc and tag (e.g. "TABLE DATA", "events"); throws when absent or ambiguous. */
export function findEntry(archive: CustomArchive, desc: string, tag: string): ArchiveEntry {
  const found = archive.entries.filter((e) => e.desc === desc && e.tag === tag);
  if (found.length !== 1) throw new Error(`${found.length} ${desc} entries named ${tag}`);
  return found[0]!;
}

/** The column names of a TABLE DATA entry, from its COPY statement. */
export function copyColumns(entry: ArchiveEntry): string[] {
  const m = /\(([^)]*)\) FROM stdin;/.exec(entry.copyStmt ?? "");
  if (!m) throw new Error(`no COPY statement in ${entry.tag}`);
  return m[1]!.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
}

/** Rewrites one field of the first data row of a TABLE DATA entry (a COPY text field, escapes and all). */
export function setFirstRowField(entry: ArchiveEntry, column: string, field: string): void {
  const index = copyColumns(entry).indexOf(column);
  if (index < 0) throw new Error(`${entry.tag} has no column ${column}`);
  const lines = (entry.data ?? "").split("\n");
  const row = lines.findIndex((l) => l !== "" && l !== "\\.");
  if (row < 0) throw new Error(`${entry.tag} has no rows`);
  const fields = lines[row]!.split("\t");
  fields[index] = field;
  lines[row] = fields.join("\t");
  entry.data = lines.join("\n");
}
