using System;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Benchmarks;

/// <summary>
/// The float parse of an embeddings answer alone (256 × 1,024 numbers into one float32 block, the
/// same <see cref="Utf8JsonReader"/> walk each time), by parser: the framework's
/// <see cref="Utf8JsonReader.GetSingle"/> (the raw floor's), the double parse rounded to float
/// (what the client read before), csFastFloat 4.1.6 on the token's bytes, and the client's own
/// exact fast path (<c>JsonNumbers</c>). All four must give the same bits, or the row is refused.
/// </summary>
[MemoryDiagnoser]
public class FloatParseBenchmarks
{
    private byte[] _json = [];
    private float[] _block = [];
    private float[] _expected = [];

    [GlobalSetup]
    public void Setup()
    {
        _json = Payloads.Embeddings(256, 1024);
        _block = new float[256 * 1024];
        _expected = new float[_block.Length];
        Walk(static (ref Utf8JsonReader r) => (float)r.GetDouble());
        _block.CopyTo(_expected, 0);
        foreach (var parse in new Parse[] { static (ref Utf8JsonReader r) => r.GetSingle(), CsFastFloat, Ours })
        {
            Walk(parse);
            if (!_block.AsSpan().SequenceEqual(_expected))
            {
                throw new InvalidOperationException("A parser read different floats; the comparison would mean nothing.");
            }
        }
    }

    private delegate float Parse(ref Utf8JsonReader reader);

    [Benchmark(Baseline = true, Description = "Utf8JsonReader.GetSingle (raw floor)")]
    public int GetSingle()
    {
        var reader = new Utf8JsonReader(_json);
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                _block[count++] = reader.GetSingle();
            }
        }

        return count;
    }

    [Benchmark(Description = "(float)Utf8JsonReader.GetDouble (the client before)")]
    public int GetDoubleRounded()
    {
        var reader = new Utf8JsonReader(_json);
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                _block[count++] = (float)reader.GetDouble();
            }
        }

        return count;
    }

    [Benchmark(Description = "csFastFloat 4.1.6 ParseDouble on ValueSpan")]
    public int CsFastFloatParse()
    {
        var reader = new Utf8JsonReader(_json);
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                _block[count++] = CsFastFloat(ref reader);
            }
        }

        return count;
    }

    [Benchmark(Description = "ours: JsonNumbers exact fast path on ValueSpan")]
    public int OursParse()
    {
        var reader = new Utf8JsonReader(_json);
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                _block[count++] = (float)JsonNumbers.GetDouble(ref reader);
            }
        }

        return count;
    }

    [Benchmark(Description = "tokens only (Utf8JsonReader walk, no parse)")]
    public int TokensOnly()
    {
        var reader = new Utf8JsonReader(_json);
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                count++;
            }
        }

        return count;
    }

    private static float CsFastFloat(ref Utf8JsonReader reader) => (float)csFastFloat.FastDoubleParser.ParseDouble(reader.ValueSpan);

    private static float Ours(ref Utf8JsonReader reader) => (float)JsonNumbers.GetDouble(ref reader);

    private void Walk(Parse parse)
    {
        var reader = new Utf8JsonReader(_json);
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                _block[count++] = parse(ref reader);
            }
        }
    }
}
