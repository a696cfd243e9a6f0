using System;
using System.Collections.Generic;
using System.IO;

namespace HuggingFace.Inference.Inputs;

/// <summary>Guesses a media type from a file name, else from the first bytes (magic numbers).</summary>
internal static class MediaTypes
{
    public const string OctetStream = "application/octet-stream";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif",
        [".webp"] = "image/webp", [".bmp"] = "image/bmp", [".tif"] = "image/tiff", [".tiff"] = "image/tiff",
        [".flac"] = "audio/flac", [".wav"] = "audio/wav", [".mp3"] = "audio/mpeg", [".ogg"] = "audio/ogg",
        [".m4a"] = "audio/mp4", [".webm"] = "audio/webm", [".mp4"] = "video/mp4", [".pdf"] = "application/pdf",
    };

    public static string? FromFileName(string? name)
    {
        var extension = name == null ? null : Path.GetExtension(name);
        return extension != null && ByExtension.TryGetValue(extension, out var type) ? type : null;
    }

    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47];

    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> Mp3Frame => [0xFF, 0xFB];

    private static ReadOnlySpan<byte> Mp3FrameMpeg2 => [0xFF, 0xF3];

    public static string Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(Png)) return "image/png";
        if (head.StartsWith(Jpeg)) return "image/jpeg";
        if (head.StartsWith("GIF8"u8)) return "image/gif";
        if (head.StartsWith("BM"u8)) return "image/bmp";
        if (head.StartsWith("fLaC"u8)) return "audio/flac";
        if (head.StartsWith("OggS"u8)) return "audio/ogg";
        if (head.StartsWith("ID3"u8) || head.StartsWith(Mp3Frame) || head.StartsWith(Mp3FrameMpeg2)) return "audio/mpeg";
        if (head.StartsWith("%PDF"u8)) return "application/pdf";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
        {
            var format = head.Slice(8, 4);
            if (format.SequenceEqual("WAVE"u8)) return "audio/wav";
            if (format.SequenceEqual("WEBP"u8)) return "image/webp";
        }

        if (head.Length >= 8 && head.Slice(4, 4).SequenceEqual("ftyp"u8)) return "video/mp4";
        return OctetStream;
    }
}
