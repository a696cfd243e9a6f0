using System;
using System.Text.Json;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// What one stream's events repeat: a chat stream sends the same <c>id</c>, <c>model</c>,
/// <c>system_fingerprint</c>, <c>role</c> and <c>"object"</c> in every chunk. While an event is read
/// (<see cref="Enter"/>), each string the generated readers read, and each group of undeclared members,
/// is compared byte for byte with the one read at the same place in the event before; when equal, that
/// event's instance is reused instead of a new one. Equal bytes give equal values, so a reuse can never
/// change a result; a mismatch only costs the comparison. One instance per stream, one event at a time.
/// </summary>
internal sealed class RepeatedValues
{
    /// <summary>Strings longer than this are never kept (token text is short; a long one rarely repeats).</summary>
    private const int MaxStringBytes = 256;

    /// <summary>How many strings and member groups one event may keep: enough for a chat chunk's few dozen.</summary>
    private const int MaxPlaces = 64;

    [ThreadStatic]
    private static RepeatedValues? t_current;

    private StringPlace[] _strings = new StringPlace[8];
    private int _nextString;
    private WireExtras?[] _extras = new WireExtras?[4];
    private int _nextExtras;

    /// <summary>
    /// Whether the event read since <see cref="Enter"/> has an undeclared top-level member named
    /// <c>error</c> (as unescaped bytes, as a scan for <c>"error"</c> finds it): an error event.
    /// </summary>
    public bool SawRootError { get; set; }

    /// <summary>The stream whose event is being read on this thread, if any.</summary>
    internal static RepeatedValues? Current => t_current;

    /// <summary>Starts reading one event: until the scope ends, readers on this thread compare with the event before.</summary>
    public Scope Enter()
    {
        _nextString = 0;
        _nextExtras = 0;
        SawRootError = false;
        var previous = t_current;
        t_current = this;
        return new Scope(previous);
    }

    /// <summary>The string at the reader (a string token), reused from the event before when its bytes are equal.</summary>
    public string String(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        var place = _nextString++;
        if (place >= MaxPlaces || raw.Length > MaxStringBytes)
        {
            return reader.GetString()!;
        }

        if (place >= _strings.Length)
        {
            Array.Resize(ref _strings, _strings.Length * 2);
        }

        // Escaped or not, equal raw bytes unescape to equal strings.
        ref var kept = ref _strings[place];
        if (kept.Value != null && raw.SequenceEqual(kept.Bytes.AsSpan(0, kept.Length)))
        {
            return kept.Value;
        }

        var value = reader.GetString()!;
        if (kept.Bytes == null || kept.Bytes.Length < raw.Length)
        {
            kept.Bytes = new byte[Math.Max(32, raw.Length)];
        }

        raw.CopyTo(kept.Bytes);
        kept.Length = raw.Length;
        kept.Value = value;
        return value;
    }

    /// <summary>The next place for a group of undeclared members, and the group read there in the event before.</summary>
    public int NextExtras(out WireExtras? before)
    {
        var place = _nextExtras++;
        before = place < _extras.Length ? _extras[place] : null;
        return place;
    }

    /// <summary>Keeps the group read at <paramref name="place"/> for the next event.</summary>
    public void KeepExtras(int place, WireExtras extras)
    {
        if (place >= MaxPlaces)
        {
            return;
        }

        if (place >= _extras.Length)
        {
            Array.Resize(ref _extras, Math.Max(_extras.Length * 2, place + 1));
        }

        _extras[place] = extras;
    }

    /// <summary>Ends an event's reading on this thread.</summary>
    public readonly struct Scope(RepeatedValues? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }

    private struct StringPlace
    {
        public byte[] Bytes;
        public int Length;
        public string? Value;
    }
}
