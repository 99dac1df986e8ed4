// RecordIO framing (Mesos docs/recordio.md): `<decimal byte length>\n<bytes>`, records back to
// back with no separator. Streams write exactly one record per HTTP chunk (see http/eventStream.ts)
// because mesos-framework parses each 'data' event as one whole record.

/** One framed record: `data` (JSON text or protobuf bytes) behind its byte length. */
export function encodeRecord(data: string | Uint8Array): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return Buffer.concat([Buffer.from(`${bytes.length}\n`, "ascii"), bytes]);
}

export class RecordIoError extends Error {
  override readonly name = "RecordIoError";
}

const NEWLINE = 0x0a;
// A uint64 has at most 20 decimal digits; anything longer cannot be a length.
const MAX_LENGTH_DIGITS = 20;

/**
 * Incremental decoder: feed it chunks as they arrive (chunk boundaries are arbitrary, intermediaries
 * may re-chunk) and it returns the complete records (`push` as UTF-8 text, `pushBytes` as bytes).
 */
export class RecordIoDecoder {
  private buffered: Buffer = Buffer.alloc(0);
  private expected: number | undefined;

  push(chunk: Uint8Array): string[] {
    return this.pushBytes(chunk).map((record) => record.toString("utf8"));
  }

  /** As `push`, with each record's raw bytes (protobuf records are not text). */
  pushBytes(chunk: Uint8Array): Buffer[] {
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    const records: Buffer[] = [];
    for (;;) {
      if (this.expected === undefined) {
        const newline = this.buffered.indexOf(NEWLINE);
        if (newline < 0) {
          if (this.buffered.length > MAX_LENGTH_DIGITS) throw new RecordIoError("record length too long");
          return records;
        }
        const digits = this.buffered.subarray(0, newline).toString("ascii");
        if (!/^[0-9]{1,20}$/.test(digits)) throw new RecordIoError(`invalid record length '${digits}'`);
        this.expected = Number(digits);
        this.buffered = this.buffered.subarray(newline + 1);
      }
      if (this.buffered.length < this.expected) return records;
      records.push(Buffer.from(this.buffered.subarray(0, this.expected)));
      this.buffered = this.buffered.subarray(this.expected);
      this.expected = undefined;
    }
  }

  /** True when no partial record is pending (a stream may end cleanly here). */
  get idle(): boolean {
    return this.expected === undefined && this.buffered.length === 0;
  }
}
