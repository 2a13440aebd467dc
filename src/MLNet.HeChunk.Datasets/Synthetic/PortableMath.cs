namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// Sine, cosine and exponential built only from +, -, *, / and rounding, which IEEE 754 defines
/// exactly. <see cref="Math.Sin(double)"/> and friends come from the platform's math library and may
/// differ in the last bit between operating systems or processors; one flipped bit can move a pixel
/// across a rounding boundary and break the promise that a seed gives byte-identical images.
/// Accuracy (about 1e-15 relative) is far beyond what drawing needs.
/// </summary>
internal static class PortableMath
{
    private const double TwoPi = 2.0 * Math.PI;
    private const double Ln2 = 0.69314718055994530942;

    public static double Sin(double x)
    {
        // Reduce to [-pi, pi], then fold onto [-pi/2, pi/2] where the series converges fast.
        double r = x - (TwoPi * Math.Round(x / TwoPi));
        if (r > Math.PI / 2)
        {
            r = Math.PI - r;
        }
        else if (r < -Math.PI / 2)
        {
            r = -Math.PI - r;
        }

        // Taylor series to x^21: the first omitted term is below 1e-17 on [-pi/2, pi/2].
        double r2 = r * r;
        double term = r;
        double sum = r;
        for (int n = 1; n <= 10; n++)
        {
            term *= -r2 / ((2 * n) * ((2 * n) + 1));
            sum += term;
        }

        return sum;
    }

    public static double Cos(double x) => Sin(x + (Math.PI / 2));

    public static double Exp(double x)
    {
        if (x < -700)
        {
            return 0;
        }

        if (x > 700)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "Too large for this helper.");
        }

        // x = k ln2 + r with |r| <= ln2 / 2; e^x = 2^k e^r, and 2^k scaling is exact.
        double k = Math.Round(x / Ln2);
        double r = x - (k * Ln2);
        double term = 1;
        double sum = 1;
        for (int n = 1; n <= 16; n++)
        {
            term *= r / n;
            sum += term;
        }

        return Math.ScaleB(sum, (int)k);
    }
}
