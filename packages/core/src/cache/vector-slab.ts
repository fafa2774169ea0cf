/**
 * Fixed-width rows of float32 in chunks. Chunks, not one growing array: growing a single
 * 600 MB array (100k rows of 1,536 floats) by doubling would copy it and briefly hold twice
 * the memory; a new chunk costs neither, and a row never moves once written.
 */
const ROWS_PER_CHUNK = 1024;

export class VectorSlab {
  readonly width: number;
  private readonly chunks: Float32Array[] = [];

  constructor(width: number) {
    this.width = width;
  }

  /** Rows that have storage (written or not). */
  get capacity(): number {
    return this.chunks.length * ROWS_PER_CHUNK;
  }

  /** Bytes held by the rows' storage. */
  get bytes(): number {
    return this.chunks.length * ROWS_PER_CHUNK * this.width * Float32Array.BYTES_PER_ELEMENT;
  }

  /** Writes `values` (exactly `width` of them) into `row`, adding chunks as needed. */
  write(row: number, values: Float32Array): void {
    while (row >= this.capacity) this.chunks.push(new Float32Array(ROWS_PER_CHUNK * this.width));
    this.chunkOf(row).set(values, this.offsetOf(row));
  }

  /** The chunk that holds `row`; read it at `offsetOf(row)`. */
  chunkOf(row: number): Float32Array {
    return this.chunks[Math.floor(row / ROWS_PER_CHUNK)] as Float32Array;
  }

  offsetOf(row: number): number {
    return (row % ROWS_PER_CHUNK) * this.width;
  }

  /** The dot product of `row` with `query` (`width` floats). */
  dot(row: number, query: Float32Array): number {
    return dot(this.chunkOf(row), this.offsetOf(row), query, 0, this.width);
  }

  /** The dot product of two rows. */
  dotRows(a: number, b: number): number {
    return dot(this.chunkOf(a), this.offsetOf(a), this.chunkOf(b), this.offsetOf(b), this.width);
  }
}

/**
 * `a[aOffset..] · b[bOffset..]` over `length` floats, the loop every hot path of the index
 * is made of. Four independent sums shorten the chain of dependent additions, which V8 does
 * not vectorise: about 10% faster than one sum at 1,536 floats on Node 24.
 */
export function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const end = length - 3;
  for (; i < end; i += 4) {
    s0 += (a[aOffset + i] as number) * (b[bOffset + i] as number);
    s1 += (a[aOffset + i + 1] as number) * (b[bOffset + i + 1] as number);
    s2 += (a[aOffset + i + 2] as number) * (b[bOffset + i + 2] as number);
    s3 += (a[aOffset + i + 3] as number) * (b[bOffset + i + 3] as number);
  }
  for (; i < length; i++) s0 += (a[aOffset + i] as number) * (b[bOffset + i] as number);
  return s0 + s1 + s2 + s3;
}
