using System.Text;

namespace PostalPeak.Demo;

/// <summary>
/// SplitMix64, keyed by a seed and a name. System.Random's seeded sequence is not promised to stay the
/// same across .NET versions, and the committed sample files must be reproducible byte for byte. Each
/// stream is derived from its own key (carrier, unit, season…), so changing one part of the model does
/// not reshuffle the figures of every other part. Only exact arithmetic is used, never Math.Exp or
/// Math.Log, whose last bits may differ between C libraries.
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(int seed, string key)
    {
        // FNV-1a over the key: string.GetHashCode is randomised per process.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key))
            hash = (hash ^ b) * 1099511628211UL;
        _state = hash ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Between(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [min, max).</summary>
    public int Next(int min, int max) => min + (int)(NextUInt64() % (ulong)(max - min));

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>A multiplier around 1 with a bell-shaped spread (mean of four uniforms), never below zero.</summary>
    public double Noise(double spread)
    {
        var bell = (NextDouble() + NextDouble() + NextDouble() + NextDouble()) / 2 - 1;
        return Math.Max(0, 1 + spread * bell);
    }

    /// <summary>
    /// A count whose mean is <paramref name="mean"/>: the mean is jittered, then rounded up or down at random.
    /// Stands in for a Poisson draw without the exponential function.
    /// </summary>
    public long Count(double mean)
    {
        if (mean <= 0)
            return 0;
        var jittered = mean * Between(0.4, 1.6);
        var whole = Math.Floor(jittered);
        return (long)whole + (NextDouble() < jittered - whole ? 1 : 0);
    }
}
