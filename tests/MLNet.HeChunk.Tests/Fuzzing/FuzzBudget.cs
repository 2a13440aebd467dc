namespace MLNet.HeChunk.Tests.Fuzzing;

/// <summary>
/// How many mutations each deserializer fuzz test runs: <c>HECHUNK_FUZZ_MUTATIONS</c> when set (the documented run
/// uses 10000), else a default small enough that the whole fuzz suite stays under a minute in CI.
/// </summary>
internal static class FuzzBudget
{
    public const string Variable = "HECHUNK_FUZZ_MUTATIONS";

    public static int Mutations(int defaultCount) =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), out int n) && n > 0 ? n : defaultCount;
}
