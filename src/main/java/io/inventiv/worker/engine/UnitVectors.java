package io.inventiv.worker.engine;

/** L2 normalisation, as vLLM's embed pooler returns vectors. */
final class UnitVectors {
    private UnitVectors() {
    }

    /** Scales {@code vector} in place to length 1; a zero vector stays as it is. */
    static void normalize(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        double norm = Math.sqrt(sum);
        if (norm > 0) {
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) (vector[i] / norm);
            }
        }
    }
}
