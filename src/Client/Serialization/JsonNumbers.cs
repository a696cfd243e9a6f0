using System;
using System.Text.Json;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// Numbers read from a JSON number token's bytes without the framework's general parser, for the
/// float blocks of embeddings (bench/Micro, FloatParseBenchmarks: the parse is most of an embeddings
/// answer's cost). Only the exact case is taken here: at most 19 significant digits whose value fits
/// 53 bits, times or divided by a power of ten up to 10^22; both are exact doubles, so one IEEE
/// multiplication or division rounds correctly (Clinger's fast path), and the result is bit for bit
/// what <see cref="Utf8JsonReader.GetDouble"/> gives. Anything else (longer mantissas, larger
/// exponents) goes to <see cref="Utf8JsonReader.GetDouble"/>.
/// </summary>
internal static class JsonNumbers
{
    private const ulong MaxExactMantissa = 1UL << 53;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The number token at the reader as a double, exactly as <see cref="Utf8JsonReader.GetDouble"/> reads it.</summary>
    public static double GetDouble(ref Utf8JsonReader reader) =>
        !reader.HasValueSequence && TryParseExact(reader.ValueSpan, out var value) ? value : reader.GetDouble();

    /// <summary>
    /// Parses a JSON number (the grammar already checked by the reader) when the result is exact
    /// by construction; false leaves it to the general parser.
    /// </summary>
    public static bool TryParseExact(ReadOnlySpan<byte> number, out double value)
    {
        value = 0;
        var i = 0;
        var negative = number.Length > 0 && number[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        ulong mantissa = 0;
        var significant = 0;
        var exponent = 0;
        for (; i < number.Length; i++)
        {
            var digit = (uint)(number[i] - '0');
            if (digit > 9)
            {
                break;
            }

            if (mantissa != 0 || digit != 0)
            {
                if (++significant > 19)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + digit;
            }
        }

        if (i < number.Length && number[i] == (byte)'.')
        {
            for (i++; i < number.Length; i++)
            {
                var digit = (uint)(number[i] - '0');
                if (digit > 9)
                {
                    break;
                }

                exponent--;
                if (mantissa != 0 || digit != 0)
                {
                    if (++significant > 19)
                    {
                        return false;
                    }

                    mantissa = (mantissa * 10) + digit;
                }
            }
        }

        if (i < number.Length && (number[i] | 0x20) == (byte)'e')
        {
            i++;
            var negativeExponent = number[i] == (byte)'-';
            if (number[i] is (byte)'-' or (byte)'+')
            {
                i++;
            }

            var written = 0;
            for (; i < number.Length; i++)
            {
                written = (written * 10) + (number[i] - '0');
                if (written > 400)
                {
                    return false;
                }
            }

            exponent += negativeExponent ? -written : written;
        }

        if (mantissa == 0)
        {
            value = negative ? -0.0 : 0.0;
            return true;
        }

        if (mantissa > MaxExactMantissa || exponent < -22 || exponent > 22)
        {
            return false;
        }

        var exact = (double)mantissa;
        exact = exponent < 0 ? exact / PowersOfTen[-exponent] : exact * PowersOfTen[exponent];
        value = negative ? -exact : exact;
        return true;
    }
}
