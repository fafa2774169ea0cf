import { dot } from './vector-slab.js';
import { gaussian, type RandomSource } from './vector-random.js';

/**
 * A seeded Gaussian random projection to a few dimensions (the "sketch"), normalised so that
 * a dot product of sketches estimates the cosine of the full vectors (Johnson–Lindenstrauss).
 * The graph is built and walked on sketches, 24 times cheaper per step than 1,536 floats;
 * every candidate it finds is then scored on the full vector, so the answer's similarity is
 * exact and only the choice of candidates is approximate.
 */
export class VectorProjection {
  readonly dimensions: number;
  /** Dimensions of a sketch: `dimensions` itself when the vectors are that small already. */
  readonly sketchDimensions: number;
  /** Row-major `sketchDimensions` × `dimensions`; absent when the sketch is the vector. */
  private readonly matrix: Float32Array | undefined;

  constructor(dimensions: number, sketchDimensions: number, random: RandomSource) {
    this.dimensions = dimensions;
    this.sketchDimensions = Math.min(dimensions, sketchDimensions);
    if (this.sketchDimensions === dimensions) {
      this.matrix = undefined;
      return;
    }
    this.matrix = new Float32Array(this.sketchDimensions * dimensions);
    for (let i = 0; i < this.matrix.length; i++) this.matrix[i] = gaussian(random);
  }

  /** The normalised sketch of a normalised `vector`. */
  sketch(vector: Float32Array): Float32Array {
    if (this.matrix === undefined) return vector.slice();
    const out = new Float32Array(this.sketchDimensions);
    let norm = 0;
    for (let row = 0; row < this.sketchDimensions; row++) {
      const value = dot(this.matrix, row * this.dimensions, vector, 0, this.dimensions);
      out[row] = value;
      norm += value * value;
    }
    // A zero sketch (a vector orthogonal to every row) is left as zeros: it matches nothing
    // well in the graph, and the full-vector score still decides.
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
    }
    return out;
  }
}
