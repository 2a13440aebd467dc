using MLNet.HeChunk.Cli.Experiment;

namespace MLNet.HeChunk.Cli.Privacy;

/// <summary>
/// What the server can read of one upload, as attacker features. Per chunk: the gate's sign where the upload carries it
/// (feature mode; all-chunks uploads send every index positive), and for a chunk that travels as plaintext its mean,
/// standard deviation, minimum, maximum and mean absolute horizontal and vertical pixel difference plus a 4 x 4 grid
/// of block means. Per image: the number of encrypted chunks and of ciphertexts, which fix the upload's byte size.
/// </summary>
internal static class ServerView
{
    private const int Grid = 4;
    private const int PerChunk = 1 + 6 + Grid * Grid;

    /// <summary>What the server sees.</summary>
    public enum Mode
    {
        /// <summary>Feature chunks encrypted, the others in the clear.</summary>
        FeatureChunks,

        /// <summary>Every chunk encrypted: only sizes remain (the index travels without the gate's signs).</summary>
        AllChunks,

        /// <summary>No encryption at all: every chunk in the clear (the ceiling for these features).</summary>
        Plaintext,

        /// <summary>Feature mode's index signs and sizes alone, without the plaintext chunks (what the index itself leaks).</summary>
        IndexOnly,
    }

    /// <summary>Feature length for <paramref name="chunkCount"/> chunks.</summary>
    public static int Length(int chunkCount) => chunkCount * PerChunk + 2;

    /// <summary>The features of <paramref name="image"/> in <paramref name="mode"/>.</summary>
    /// <param name="image">The preprocessed image.</param>
    /// <param name="chunkSide">Chunk side in pixels.</param>
    /// <param name="mode">What the server sees.</param>
    /// <param name="ciphertextCount">Ciphertexts the upload holds in this mode.</param>
    public static float[] Features(PreparedImage image, int chunkSide, Mode mode, int ciphertextCount)
    {
        int chunkCount = image.ChunkIndex.Length;
        int chunkLength = chunkSide * chunkSide;
        var features = new float[Length(chunkCount)];
        int encrypted = 0;
        for (int c = 0; c < chunkCount; c++)
        {
            bool isFeature = image.ChunkIndex[c] > 0;
            bool inClear = mode switch
            {
                Mode.Plaintext => true,
                Mode.FeatureChunks => !isFeature,
                _ => false,
            };
            int offset = c * PerChunk;
            features[offset] = mode == Mode.AllChunks ? 0 : isFeature ? 1 : -1;
            if (!inClear)
            {
                encrypted++;
                continue;
            }

            ChunkStatistics(image.Chunks.AsSpan(c * chunkLength, chunkLength), chunkSide, features.AsSpan(offset + 1, PerChunk - 1));
        }

        features[^2] = mode == Mode.Plaintext ? 0 : encrypted;
        features[^1] = ciphertextCount;
        return features;
    }

    private static void ChunkStatistics(ReadOnlySpan<float> chunk, int side, Span<float> target)
    {
        double sum = 0, squares = 0, dx = 0, dy = 0;
        float min = float.MaxValue, max = float.MinValue;
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                float v = chunk[y * side + x];
                sum += v;
                squares += v * v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                if (x > 0)
                {
                    dx += Math.Abs(v - chunk[y * side + x - 1]);
                }

                if (y > 0)
                {
                    dy += Math.Abs(v - chunk[(y - 1) * side + x]);
                }
            }
        }

        int n = side * side;
        double mean = sum / n;
        target[0] = (float)mean;
        target[1] = (float)Math.Sqrt(Math.Max(0, squares / n - mean * mean));
        target[2] = min;
        target[3] = max;
        target[4] = (float)(dx / (side * (side - 1)));
        target[5] = (float)(dy / (side * (side - 1)));
        int block = side / Grid;
        for (int by = 0; by < Grid; by++)
        {
            for (int bx = 0; bx < Grid; bx++)
            {
                double blockSum = 0;
                for (int y = by * block; y < (by + 1) * block; y++)
                {
                    for (int x = bx * block; x < (bx + 1) * block; x++)
                    {
                        blockSum += chunk[y * side + x];
                    }
                }

                target[6 + by * Grid + bx] = (float)(blockSum / (block * block));
            }
        }
    }
}
