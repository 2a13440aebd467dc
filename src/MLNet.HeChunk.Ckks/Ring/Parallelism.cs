namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// Runs independent per-residue work on up to a given number of threads. Each index writes only its own output
/// rows, so the result does not depend on the degree of parallelism.
/// </summary>
internal static class Parallelism
{
    public static void For(int count, int degreeOfParallelism, Action<int> body)
    {
        if (degreeOfParallelism <= 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism }, body);
    }
}
