using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Threading;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// The members a record does not declare, as the generated readers found them: each scalar value
/// kept as its raw UTF-8 (exactly the bytes received), objects and arrays as parsed elements. The
/// record's <c>AdditionalProperties</c> dictionary is built from it only when asked for, so a stream
/// whose every event carries an undeclared <c>"object":"chat.completion.chunk"</c> pays for no
/// dictionary or document per event; an unchanged group is even shared between events
/// (<see cref="RepeatedValues"/>). Immutable; public only because generated code compiles against it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WireExtras
{
    private readonly Member[] _members;
    private JsonElement[]? _elements;

    internal WireExtras(Member[] members) => _members = members;

    internal ReadOnlySpan<Member> Members => _members;

    /// <summary>
    /// A record's <c>AdditionalProperties</c>: <paramref name="field"/> holds either the dictionary
    /// (set by code or by the serializer) or what a generated reader kept, which is turned into the
    /// record's own dictionary on first use, so changes to it stay with that record.
    /// </summary>
    public static IDictionary<string, JsonElement>? Get(ref object? field)
    {
        var value = Volatile.Read(ref field);
        if (value is not WireExtras wire)
        {
            return (IDictionary<string, JsonElement>?)value;
        }

        var dictionary = wire.ToDictionary();
        var before = Interlocked.CompareExchange(ref field, dictionary, wire);
        return ReferenceEquals(before, wire) ? dictionary : (IDictionary<string, JsonElement>?)before;
    }

    /// <summary>A new dictionary of the members, in the order read; a repeated name keeps its first place and its last value, as the serializer's does.</summary>
    private Dictionary<string, JsonElement> ToDictionary()
    {
        var elements = _elements;
        if (elements == null)
        {
            elements = new JsonElement[_members.Length];
            for (var i = 0; i < elements.Length; i++)
            {
                elements[i] = _members[i].ToElement();
            }

            // Elements from ParseValue own immutable documents: sharing them between records is safe.
            _elements = elements;
        }

        var dictionary = new Dictionary<string, JsonElement>(_members.Length);
        for (var i = 0; i < elements.Length; i++)
        {
            dictionary[_members[i].Name] = elements[i];
        }

        return dictionary;
    }

    /// <summary>One undeclared member: its name, as text and as the raw bytes it came in, and its value.</summary>
    internal sealed class Member(string name, byte[] rawName, JsonTokenType kind, byte[]? rawValue, JsonElement complex)
    {
        public string Name { get; } = name;

        public byte[] RawName { get; } = rawName;

        public JsonTokenType Kind { get; } = kind;

        /// <summary>A scalar's bytes as <see cref="Utf8JsonReader.ValueSpan"/> gives them (a string's without its quotes); null for an object or array.</summary>
        public byte[]? RawValue { get; } = rawValue;

        public bool Matches(ReadOnlySpan<byte> rawName, JsonTokenType kind, ReadOnlySpan<byte> rawValue) =>
            RawValue != null && Kind == kind && rawValue.SequenceEqual(RawValue) && rawName.SequenceEqual(RawName);

        public JsonElement ToElement()
        {
            if (RawValue == null)
            {
                return complex;
            }

            byte[] json;
            if (Kind == JsonTokenType.String)
            {
                json = new byte[RawValue.Length + 2];
                json[0] = (byte)'"';
                RawValue.CopyTo(json, 1);
                json[^1] = (byte)'"';
            }
            else
            {
                json = RawValue;
            }

            var reader = new Utf8JsonReader(json);
            reader.Read();
            return JsonElement.ParseValue(ref reader);
        }
    }
}

/// <summary>
/// Collects one record's undeclared members while a generated reader reads it (a local of the
/// reader). Inside a stream it compares them, as they come, with the group read at the same place in
/// the event before, and hands back that group when every member is byte-equal. Public only because
/// generated code compiles against it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct WireExtrasBuilder
{
    private bool _started;
    private RepeatedValues? _repeated;
    private int _place;
    private WireExtras? _before;
    private int _matched;
    private List<WireExtras.Member>? _members;

    /// <summary>Reads one undeclared member: the reader is on its name, and is left on the value's last token.</summary>
    internal void Add(ref Utf8JsonReader reader)
    {
        if (!_started)
        {
            _started = true;
            _repeated = RepeatedValues.Current;
            _place = _repeated?.NextExtras(out _before) ?? -1;
        }

        // Copied only when kept: a member equal to the event before's allocates nothing.
        var rawName = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
        if (_repeated != null && reader.CurrentDepth == 1 && rawName.SequenceEqual("error"u8))
        {
            _repeated.SawRootError = true; // the stream reader then reads the event as an error event
        }

        var expected = _members == null && _before != null && _matched < _before.Members.Length ? _before.Members[_matched] : null;
        var sameName = expected != null && rawName.SequenceEqual(expected.RawName);
        var name = sameName ? expected!.Name : reader.GetString()!;
        byte[]? nameBytes = sameName ? expected!.RawName : null;
        if (reader.HasValueSequence || !sameName)
        {
            nameBytes = rawName.ToArray();
        }

        reader.Read();
        var kind = reader.TokenType;
        WireExtras.Member member;
        if (kind is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null)
        {
            var rawValue = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : null;
            if (expected != null && expected.Matches(rawName, kind, rawValue ?? reader.ValueSpan))
            {
                _matched++;
                return;
            }

            member = new WireExtras.Member(name, nameBytes!, kind, rawValue ?? reader.ValueSpan.ToArray(), default);
        }
        else
        {
            member = new WireExtras.Member(name, nameBytes!, kind, null, JsonElement.ParseValue(ref reader));
        }

        if (_members == null)
        {
            _members = new List<WireExtras.Member>(_matched + 1);
            for (var i = 0; i < _matched; i++)
            {
                _members.Add(_before!.Members[i]);
            }
        }

        _members.Add(member);
    }

    /// <summary>The record's undeclared members, or null when it had none.</summary>
    public WireExtras? Build()
    {
        if (!_started)
        {
            return null;
        }

        WireExtras extras;
        if (_members != null)
        {
            extras = new WireExtras(_members.ToArray());
        }
        else if (_matched == _before!.Members.Length)
        {
            return _before; // the same group as the event before: already kept
        }
        else
        {
            extras = new WireExtras(_before.Members[.._matched].ToArray());
        }

        _repeated?.KeepExtras(_place, extras);
        return extras;
    }
}
