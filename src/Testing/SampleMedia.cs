using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace HuggingFace.Inference.Testing;

/// <summary>
/// Small, valid media files the local server answers with and tests send: a 1×1 PNG, a PCM WAV and the
/// start of an MP4, each able to carry a marker (a comment, samples, a box) so a test can tell which
/// request an answer was made for.
/// </summary>
public static class SampleMedia
{
    /// <summary>A 1×1 RGB PNG of colour <paramref name="rgb"/> (three bytes) with a <c>tEXt</c> chunk <c>Comment</c> = <paramref name="comment"/> when given.</summary>
    public static byte[] Png(ReadOnlySpan<byte> rgb, string? comment = null)
    {
        var output = new MemoryStream();
        output.Write([0x89, .. "PNG"u8, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, 1);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 1);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(output, "IHDR", header);
        if (comment != null)
        {
            Chunk(output, "tEXt", [.. "Comment"u8, 0, .. Encoding.ASCII.GetBytes(comment)]);
        }

        var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write([0, rgb[0], rgb[1], rgb[2]]); // filter "none", then R, G, B
        }

        Chunk(output, "IDAT", pixels.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// A 16-bit mono PCM WAV at <paramref name="sampleRate"/> whose sample bytes are <paramref name="samples"/>,
    /// with a <c>LIST/INFO/ICMT</c> chunk holding <paramref name="comment"/> when given.
    /// </summary>
    public static byte[] Wav(ReadOnlySpan<byte> samples, int sampleRate = 16000, string? comment = null)
    {
        var output = new MemoryStream();
        var note = comment == null ? null : Encoding.ASCII.GetBytes(comment + "\0");
        var padded = note == null ? 0 : note.Length + (note.Length % 2);
        var list = note == null ? 0 : 8 + 4 + 8 + padded;
        Write(output, "RIFF", 4 + (8 + 16) + list + 8 + samples.Length);
        output.Write("WAVE"u8);
        Write(output, "fmt ", 16);
        Span<byte> format = stackalloc byte[16];
        BinaryPrimitives.WriteInt16LittleEndian(format, 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(format[2..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(format[4..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(format[8..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(format[12..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(format[14..], 16);
        output.Write(format);
        if (note != null)
        {
            Write(output, "LIST", 4 + 8 + padded);
            output.Write("INFO"u8);
            Write(output, "ICMT", note.Length);
            output.Write(note);
            output.Write(new byte[padded - note.Length]);
        }

        Write(output, "data", samples.Length);
        output.Write(samples);
        return output.ToArray();
    }

    /// <summary>The start of an MP4 (ISO BMFF): an <c>ftyp</c> box (isom), a <c>free</c> box holding <paramref name="free"/>, an <c>mdat</c> box holding <paramref name="data"/>.</summary>
    public static byte[] Mp4(string free, ReadOnlySpan<byte> data)
    {
        var output = new MemoryStream();
        Box(output, "ftyp", [.. "isom"u8, 0x00, 0x00, 0x02, 0x00, .. "isom"u8, .. "mp41"u8]);
        Box(output, "free", Encoding.ASCII.GetBytes(free));
        Box(output, "mdat", data);
        return output.ToArray();
    }

    private static void Write(Stream output, string id, int length)
    {
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, length);
        output.Write(Encoding.ASCII.GetBytes(id));
        output.Write(size);
    }

    private static void Box(Stream output, string type, ReadOnlySpan<byte> payload)
    {
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, 8 + payload.Length);
        output.Write(size);
        output.Write(Encoding.ASCII.GetBytes(type));
        output.Write(payload);
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        output.Write(number);
    }

    /// <summary>The CRC-32 (IEEE, reflected) that PNG chunks carry.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
