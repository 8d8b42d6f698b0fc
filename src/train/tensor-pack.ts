// Named tensors in one flat binary blob plus a JSON index, the way a checkpoint keeps weights and
// optimizer slots. Pure: no tfjs, no files.

export type PackedDtype = 'float32' | 'int32';

export interface NamedValues {
  name: string;
  shape: number[];
  dtype: PackedDtype;
  values: Float32Array | Int32Array;
}

/** Where one tensor lies in the blob; `offset` in bytes. */
export interface PackedEntry {
  name: string;
  shape: number[];
  dtype: PackedDtype;
  offset: number;
}

const BYTES = 4;

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function packTensors(tensors: readonly NamedValues[]): { index: PackedEntry[]; data: Uint8Array } {
  const index: PackedEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    if (t.values.length !== sizeOf(t.shape)) throw new RangeError(`${t.name}: ${t.values.length} values for shape [${t.shape.join(', ')}]`);
    index.push({ name: t.name, shape: [...t.shape], dtype: t.dtype, offset });
    offset += t.values.length * BYTES;
  }
  const data = new Uint8Array(offset);
  tensors.forEach((t, i) => data.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), index[i]!.offset));
  return { index, data };
}

/** The tensors of `index`, copied out of `data`; throws a RangeError naming the first that does not fit. */
export function unpackTensors(index: readonly PackedEntry[], data: Uint8Array): NamedValues[] {
  return index.map((e) => {
    const length = sizeOf(e.shape);
    const end = e.offset + length * BYTES;
    if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset % BYTES !== 0 || end > data.byteLength) {
      throw new RangeError(`${e.name}: bytes ${e.offset}..${end} lie outside the ${data.byteLength} stored`);
    }
    const bytes = data.slice(e.offset, end);
    const values = e.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
    return { name: e.name, shape: [...e.shape], dtype: e.dtype, values };
  });
}
