namespace HuggingFace.Inference.Serialization;

/// <summary>
/// A generated string enum that keeps values it does not know (the extensible-enum pattern of the
/// Azure and OpenAI .NET SDKs): a server can add a value without breaking older clients.
/// </summary>
/// <typeparam name="TSelf">The enum struct.</typeparam>
public interface IExtensibleEnum<TSelf>
    where TSelf : struct, IExtensibleEnum<TSelf>
{
    /// <summary>The exact wire string.</summary>
    string Value { get; }

    /// <summary>Creates the value for a wire string, known or not.</summary>
    static abstract TSelf FromValue(string value);
}
