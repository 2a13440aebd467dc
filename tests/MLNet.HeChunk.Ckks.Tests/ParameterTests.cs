namespace MLNet.HeChunk.Ckks.Tests;

public class ParameterTests
{
    [Fact]
    public void SecurityTableIsEnforcedAtItsBoundary()
    {
        // 218 bits at N = 8192 is the table's limit: {44, 43, 43, 44} + {44} = 218 accepted.
        var accepted = CkksParameters.Create(new CkksParametersLiteral { LogN = 13, LogQ = [44, 43, 43, 44], LogP = [44], LogDefaultScale = 40 });
        Assert.Equal(218, accepted.TotalModulusBits);
        Assert.True(accepted.IsSecure);

        // One bit more is refused, with the reason and the way out.
        var refused = Assert.Throws<CkksParameterException>(() =>
            CkksParameters.Create(new CkksParametersLiteral { LogN = 13, LogQ = [44, 43, 44, 44], LogP = [44], LogDefaultScale = 40 }));
        Assert.Contains("219 bits", refused.Message);
        Assert.Contains("218", refused.Message);
        Assert.Contains("128-bit", refused.Message);

        // Unless the caller names the insecure mode, which the parameters then report.
        var insecure = CkksParameters.Create(new CkksParametersLiteral
        {
            LogN = 13, LogQ = [44, 43, 44, 44], LogP = [44], LogDefaultScale = 40, Security = SecurityMode.InsecureForTestingOnly,
        });
        Assert.False(insecure.IsSecure);
        Assert.Contains("INSECURE", insecure.ToString());
    }

    [Theory]
    [InlineData(12, 109)]
    [InlineData(14, 438)]
    [InlineData(15, 881)]
    public void EveryTableRowIsItsOwnLimit(int logN, int maxBits)
    {
        Assert.Equal(maxBits, SecurityStandard.MaxModulusBits(1 << logN));
    }

    [Fact]
    public void EveryPresetWithoutInsecureInItsNameIsSecure()
    {
        foreach (var property in typeof(CkksPresets).GetProperties())
        {
            var literal = (CkksParametersLiteral)property.GetValue(null)!;
            bool insecureName = property.Name.StartsWith("Insecure", StringComparison.Ordinal);
            Assert.Equal(insecureName, literal.Security == SecurityMode.InsecureForTestingOnly);
            if (!insecureName)
            {
                Assert.True(CkksParameters.Create(literal).IsSecure, property.Name);
            }
        }
    }

    [Fact]
    public void InconsistentLiteralsAreRefusedWithTheirReason()
    {
        void Refused(CkksParametersLiteral literal, string reason)
            => Assert.Contains(reason, Assert.Throws<CkksParameterException>(() => CkksParameters.Create(literal)).Message);

        var good = CkksPresets.N8192Depth3;
        Refused(good with { LogN = 11 }, "total modulus width");
        Refused(good with { LogN = 9 }, "no row in the 128-bit security table");
        Refused(good with { Q = [65537] }, "not both");
        Refused(good with { LogQ = null, Q = [12289] }, "not 1 mod 2N");
        Refused(good with { LogQ = null, Q = [(1UL << 40) + 3] }, "not 1 mod 2N");
        Refused(good with { LogQ = null, Q = [16385UL * 16384 + 1] }, "not prime");
        Refused(good with { LogQ = [] }, "at least one prime");
        Refused(good with { LogP = [20] }, "special primes' product");
        Refused(good with { LogDefaultScale = 0 }, "LogDefaultScale");
        Refused(good with { LogQ = [5] }, "outside [10, 61]");
    }

    [Fact]
    public void PrimesAreDeterministicAndTheFingerprintTellsSetsApart()
    {
        var a = CkksParameters.Create(CkksPresets.N8192Depth3);
        var b = CkksParameters.Create(CkksPresets.N8192Depth3);
        var c = CkksParameters.Create(CkksPresets.N8192ChunkCnn);
        Assert.Equal(a.Q, b.Q);
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, c.Fingerprint);
        Assert.Equal(a.Fingerprint, CkksParameters.Create(a.ToLiteral()).Fingerprint);
    }
}
