using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The embeddings' fast number parse (<see cref="JsonNumbers"/>) must give the bits the framework's
/// <see cref="Utf8JsonReader.GetDouble"/> gives, for every number: edge cases, random floats and
/// doubles in every format, and every number of the recorded traffic.
/// </summary>
public class JsonNumbersTests
{
    public static TheoryData<string> EdgeCases() =>
    [
        "0", "-0", "0.0", "-0.0", "0e0", "-0E+5", "0.000", "0e999", "-0e-999",
        "1", "-1", "0.1", "0.2", "0.3", "1e22", "1e23", "1e-22", "1e-23", "-1.5e-5", "1E+2", "1e+0",
        "9007199254740992", "9007199254740993", "9007199254740991.5", "18446744073709551615", "1234567890123456789", "12345678901234567890",
        "0.30000000000000004441", "3.141592653589793238462643383279", "123456789012345678901234567890", "0.000000000000000000000000001",
        "4.9e-324", "5e-324", "2.2250738585072014E-308", "2.2250738585072011e-308", "1.7976931348623157e308", "1e308", "1e-400", "1e400",
        "3.4028235E+38", "3.4028236e38", "1.4E-45", "1.17549435E-38", "-0.83456784", "1.2345678E-05", "0.5000000000000001", "0.49999999999999994",
        // Halfway between two floats: rounding the double to float must match the framework's path.
        "1.00000005960464477539062", "1.000000059604644775390625", "1.0000000596046448", "16777217", "33554435", "0.100000001490116119384765625",
        "00.5".Substring(1), "1.0000000000000000000", "100000000000000000000000", "1e21", "999999999999999999e-18",
    ];

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void EdgeCasesReadTheFrameworksBits(string number) => AssertSameBits(number);

    [Fact]
    public void RandomFloatsAndDoublesReadTheFrameworksBits()
    {
        var random = new Random(20261201);
        var formats = new[] { "R", "G9", "G17", "E", "E3", "F6", "G" };
        var checkedCount = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var bits = random.NextInt64();
            double value = (i % 3) switch
            {
                0 => (float)(random.NextDouble() * 2 - 1),
                1 => BitConverter.Int64BitsToDouble(bits),
                _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30)),
            };

            if (!double.IsFinite(value))
            {
                continue;
            }

            var text = value.ToString(formats[i % formats.Length], CultureInfo.InvariantCulture);
            AssertSameBits(text);
            checkedCount++;
            if (float.IsFinite((float)value))
            {
                AssertSameBits(((float)value).ToString("R", CultureInfo.InvariantCulture));
                checkedCount++;
            }
        }

        Assert.True(checkedCount > 250_000, $"only {checkedCount} numbers checked");
    }

    [Fact]
    public void EveryRecordedNumberReadsTheFrameworksBits()
    {
        var numbers = 0;
        foreach (var exchange in RecordedTraffic.Load())
        {
            var bodies = exchange.IsSse && exchange.ResponseBody != null ? RecordedTraffic.SseData(exchange.ResponseBody) : [exchange.ResponseBody ?? string.Empty];
            foreach (var body in bodies.Append(exchange.RequestBody ?? string.Empty).Where(RecordedTraffic.IsJson))
            {
                var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(body));
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        AssertSameBits(Encoding.UTF8.GetString(reader.ValueSpan));
                        numbers++;
                    }
                }
            }
        }

        Assert.True(numbers > 1000, $"only {numbers} recorded numbers");
    }

    [Fact]
    public void EmbeddingsAreTheFloatsOfTheFrameworksDoubles()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 64).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-40, 40))).ToArray()).ToArray();
        var json = JsonSerializer.Serialize(rows);
        var embeddings = Embeddings.Parse(Encoding.UTF8.GetBytes(json));
        var expected = JsonSerializer.Deserialize<double[][]>(json)!.SelectMany(r => r).Select(d => (float)d).ToArray();
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), embeddings.Values.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(Embeddings.Parse("[[-0.0,0]]"u8).Row(0)[0]));
    }

    private static void AssertSameBits(string number)
    {
        var bytes = Encoding.UTF8.GetBytes(number);
        var reader = new Utf8JsonReader(bytes);
        Assert.True(reader.Read());
        if (!reader.TryGetDouble(out var expected))
        {
            return; // out of range for the framework too (1e400): the fast path hands it on, and the error is the framework's
        }

        var fast = JsonNumbers.GetDouble(ref reader);
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(fast), $"{number}: framework {expected:R}, fast path {fast:R}");
    }
}
