using System.Numerics;
using System.Runtime.InteropServices;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Bench;

/// <summary>
/// A load-tolerant companion to <see cref="CkksOperationBenchmarks"/>: the same engine operations, one thread, timed by
/// the thread's own CPU clock (CLOCK_THREAD_CPUTIME_ID, Linux) instead of the wall clock, so time spent descheduled
/// while other processes hold the cores is not counted (cache and memory contention still is). Run with
/// <c>DOTNET_TieredCompilation=0 dotnet run -c Release --project bench/MLNet.HeChunk.Bench -- --cpu-time</c>;
/// it prints the minimum and median of seven batches per operation, in microseconds.
/// </summary>
public static class CpuTimeRunner
{
    /// <summary>Runs every operation for parameter sets (a) and (b) and prints one line per operation.</summary>
    public static void Run()
    {
        foreach (string preset in new[] { BenchmarkPresets.A, BenchmarkPresets.B })
        {
            CkksParameters parameters = CkksParameters.Create(BenchmarkPresets.Literal(preset));
            var generator = new KeyGenerator(parameters);
            SecretKey secretKey = generator.GenerateSecretKey();
            var encoder = new CkksEncoder(parameters);
            var encryptor = new Encryptor(parameters, generator.GeneratePublicKey(secretKey));
            var evaluator = new Evaluator(parameters, generator.GenerateRelinearizationKey(secretKey), generator.GenerateGaloisKeys(secretKey, [1]));
            var random = new Random(42);
            Complex[] values = Enumerable.Range(0, parameters.SlotCount).Select(_ => new Complex(random.NextDouble(), random.NextDouble())).ToArray();
            Plaintext plaintext = encoder.Encode(values, parameters.MaxLevel, parameters.DefaultScale);
            Ciphertext a = encryptor.Encrypt(plaintext);
            Ciphertext product = evaluator.Multiply(a, encryptor.Encrypt(plaintext));
            Ciphertext destination = a.Clone();
            Plaintext plainDestination = encoder.Encode(values, parameters.MaxLevel, parameters.DefaultScale);
            NttTables tables = parameters.Ring.Tables[0];
            ulong[] row = Enumerable.Range(0, parameters.N).Select(i => (ulong)i % tables.Modulus.Value).ToArray();

            Measure(preset, "NttForward", () => Ntt.Forward(row, tables), 2000);
            Measure(preset, "NttInverse", () => Ntt.Inverse(row, tables), 2000);
            Measure(preset, "Rescale", () => evaluator.Rescale(a, destination), 50);
            Measure(preset, "Relinearize", () => evaluator.Relinearize(product, destination), 10);
            Measure(preset, "RotateOneStep", () => evaluator.Rotate(a, 1, destination), 10);
            Measure(preset, "Encode", () => encoder.Encode(values, parameters.MaxLevel, parameters.DefaultScale, plainDestination), 30);
            Measure(preset, "EncryptPublicKey", () => encryptor.Encrypt(plaintext, destination), 10);
        }
    }

    private static void Measure(string preset, string operation, Action body, int repetitions)
    {
        for (int i = 0; i < repetitions; i++)
        {
            body();
        }

        var times = new double[7];
        for (int batch = 0; batch < times.Length; batch++)
        {
            long start = ThreadCpuNanoseconds();
            for (int i = 0; i < repetitions; i++)
            {
                body();
            }

            times[batch] = (ThreadCpuNanoseconds() - start) / 1000.0 / repetitions;
        }

        Array.Sort(times);
        Console.WriteLine($"{preset,-10} {operation,-17} min {times[0],10:F1} us   median {times[3],10:F1} us");
    }

    private static long ThreadCpuNanoseconds()
    {
        const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID
        if (ClockGetTime(ThreadCpuClock, out TimeSpec now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed; this mode runs on Linux only");
        }

        return (now.Seconds * 1_000_000_000L) + now.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
